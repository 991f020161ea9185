// The models speak the SPEC's beats and codes; a user of the models sees them too.
@_exported import AdapterSpec
