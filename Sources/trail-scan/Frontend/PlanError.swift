// A problem found while turning valid-looking options into a plan (a bad --where pattern, a time
// that does not parse, an unknown field): printed as the message alone, without argument-parser's
// usage block, since the options' shape was fine. Exit status 2, as for any usage error.

struct PlanError: Error, CustomStringConvertible {
  let message: String
  init(_ message: String) { self.message = message }
  var description: String { message }
}
