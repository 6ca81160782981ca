// How table cells are cut and columns sized (CellCut, ColumnFit), value by value: what a cut
// keeps is what identifies the value (the end of an ARN or a path, whole actions), every cut
// fits its width, and columns get width by need. TrailScanCLITests pins whole tables.
import Testing

@testable import TrailOutput

struct CellCutTests {
  static let role = "arn:aws:iam::111122223333:role/Admin"
  static let file =
    "Fixtures/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/"
    + "111122223333_CloudTrail_us-east-1_20240514T0921Z_V5gbXNlrRcgGLnlg.json.gz"

  @Test(arguments: [
    (role, 36, role),
    (role, 30, "arn:aws:iam::11112…:role/Admin"),
    (role, 25, "arn:aws:iam::…:role/Admin"),
    (role, 16, "arn:…:role/Admin"),
    (role, 12, "arn:…/Admin"),
    (role, 7, "…/Admin"),
    (role, 5, "…/A…n"),
    ("arn:aws:sts::111122223333:assumed-role/Deploy/i-0abc", 24, "arn:…/Deploy/i-0abc"),
    ("arn:aws:s3:::data-lake-raw/exports/part-1.csv.gz", 41, "arn:…:data-lake-raw/exports/part-1.csv.gz"),
    ("arn:aws:s3:::data-lake-raw/exports/part-1.csv.gz", 30, "arn:…/exports/part-1.csv.gz"),
  ])
  func arnKeepsItsEnd(_ text: String, _ width: Int, _ expected: String) {
    #expect(CellCut.cut(text, to: width) == expected)
  }

  @Test func pathKeepsTheFileName() {
    let cut = CellCut.cut(Self.file, to: 60)
    #expect(TerminalText.width(cut) <= 60 && TerminalText.width(cut) >= 55)
    #expect(cut.hasPrefix("…/111122223333_CloudTrail_") && cut.hasSuffix("_V5gbXNlrRcgGLnlg.json.gz"), "\(cut)")
    // With room for it, the file name is whole and whole folders come before it.
    let wider = CellCut.cut(Self.file, to: 110)
    #expect(wider.hasSuffix("/14/111122223333_CloudTrail_us-east-1_20240514T0921Z_V5gbXNlrRcgGLnlg.json.gz"))
    #expect(wider.hasPrefix("Fix") && TerminalText.width(wider) == 110)
  }

  @Test func actionsAndTimesAndWords() {
    // A narrow action column still tells CreateUser from CreateLoginProfile.
    #expect(CellCut.cut("iam:CreateLoginProfile", to: 14) != CellCut.cut("iam:CreateUser", to: 14))
    #expect(CellCut.demand("iam:CreateLoginProfile").needs[0] == 22)
    #expect(CellCut.cut("2024-05-14T09:11:24Z", to: 11) == "2024-05-14…")
    #expect(CellCut.cut("Failed authentication", to: 10) == "Failed au…")
    #expect(CellShape("198.51.100.7") == .code && CellShape("2001:db8::1") == .code)
    #expect(CellShape("ASIAK2DEPLOY00000002") == .code && CellShape("111122223333") == .code)
    #expect(CellCut.demand("ASIAK2DEPLOY00000002").needs[0] == 20)
    #expect(CellShape("s3:GetObject") == .identifier && CellShape("ConsoleLogin") == .word)
  }

  @Test func listsKeepWholeValues() {
    let list = "arn:aws:iam::111122223333:user/alice,arn:aws:iam::111122223333:user/bob,203.0.113.9"
    #expect(CellShape(list) == .list)
    #expect(CellCut.cut(list, to: 40) == "arn:aws:iam::111122223333:user/alice +2")
    #expect(CellCut.cut(list, to: 20) == "arn:…:user/alice +2")
    // `+N` already there (check's principals) counts on.
    #expect(CellCut.cut("a-long-value,b-long-value +5", to: 20) == "a-long-value +6")
  }

  /// Every cut fits its width, and a value that fits is never cut.
  @Test func everyCutFits() {
    let samples = [
      Self.role, Self.file, "iam:CreateUser", "2024-05-14T09:11:24Z", "Failed authentication", "a,b,c +3",
      "日本語のテキスト/ファイル名.json", "HIDDEN_DUE_TO_SECURITY_REASONS", "//::a", "x", "a:b:c:d:e:f:g/h",
      "arn:aws:s3:::b", "\\x1b[31mred",
    ]
    for text in samples {
      let natural = TerminalText.width(text)
      for width in 1...(natural + 2) {
        let cut = CellCut.cut(text, to: width)
        #expect(TerminalText.width(cut) <= width, "\(text) at \(width): \(cut)")
        if width >= natural { #expect(cut == text) }
        // A cut says so: `…`, or for a list the count of values not shown.
        if width < natural { #expect(cut.contains("…") || cut.contains(" +"), "\(text) at \(width): \(cut)") }
      }
    }
  }
}

struct ColumnFitTests {
  func column(_ header: String, _ cells: [String], whole: Bool = false) -> ColumnFit.Column {
    ColumnFit.Column(header: header, cells: cells, whole: whole)
  }

  @Test func naturalWidthsWhenTheyFit() {
    let columns = [column("A", ["abc"]), column("BB", ["x"])]
    #expect(ColumnFit.widths(columns, width: 80, gap: 2) == [3, 2])
  }

  @Test func byNeedNotEvenly() {
    let time = column("TIME", ["2024-05-14T09:11:24Z"])
    let principal = column("PRINCIPAL", ["arn:aws:iam::111122223333:role/service-role/backend-fn-role"])
    let action = column("ACTION", ["iam:CreateLoginProfile"], whole: true)
    let error = column("ERROR", ["Failed authentication"])
    let widths = ColumnFit.widths([time, principal, action, error], width: 80, gap: 2)
    #expect(widths.reduce(0, +) + 6 <= 80)
    #expect(widths[0] == 20)  // a time is needed whole
    #expect(widths[2] == 22)  // a whole column first
    // The principal keeps at least its last segment: `arn:…/backend-fn-role`.
    #expect(widths[1] >= 21)
    // Too narrow for the needs: still within the width, every column at least one wide.
    let narrow = ColumnFit.widths([time, principal, action, error], width: 30, gap: 2)
    #expect(narrow.reduce(0, +) + 6 <= 30 && narrow.allSatisfy { $0 >= 1 })
  }

  @Test func optionalColumnsGoFirst() {
    let columns = [
      column("TIME", ["2024-05-14T09:11:24Z"]), column("REGION", ["ap-southeast-2"]),
      column("PRINCIPAL", ["arn:aws:iam::111122223333:user/alice"]), column("ACCOUNT", ["111122223333"]),
    ]
    #expect(ColumnFit.omitted(columns, optional: [1, 3], width: 200, gap: 2).isEmpty)
    #expect(ColumnFit.omitted(columns, optional: [1, 3], width: 60, gap: 2) == [1])
    #expect(ColumnFit.omitted(columns, optional: [1, 3], width: 40, gap: 2) == [1, 3])
  }
}
