@main struct Fixtures { static func main() {} }
