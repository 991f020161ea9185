/// How the walker's and the translator's answers are scored: an answer that ends in an error
/// beat may carry any prefix of the beats the reference produced before the failure (the
/// block may stop early), then that error beat; any other answer must be exact.
func answerMatches<Beat: Equatable>(expected want: [Beat], actual got: [Beat], isError: (Beat) -> Bool) -> Bool {
    guard let error = want.last, isError(error) else { return want == got }
    return got.last == error && got.count <= want.count && Array(want.prefix(got.count - 1)) == Array(got.dropLast())
}
