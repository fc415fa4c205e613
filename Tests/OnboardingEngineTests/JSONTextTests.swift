import OnboardingEngine
import Testing

/// The JSON step arrays the stores write and read back (RFC 8259 strings).
@Suite("JSON text")
struct JSONTextTests {
    @Test func roundTripsAwkwardStrings() {
        let steps = ["plain", "quote\"d", "back\\slash", "tab\tnew\nline", "naïve", "emoji 🚀", "\u{1}"]
        #expect(JSONValue.parseStringArray(JSONValue.stringArray(steps)) == steps)
        #expect(JSONValue.parseStringArray("[]") == [])
        #expect(JSONValue.parseStringArray(" [ \"a\" , \"b\" ] ") == ["a", "b"])
    }

    @Test func decodesEveryEscape() {
        #expect(JSONValue.parseStringArray(#"["\b\f\/\u00e9\ud83d\ude80"]"#) == ["\u{8}\u{C}/é🚀"])
    }

    @Test func rejectsWhatIsNotAnArrayOfStrings() {
        for text in [
            "", "[", "[1]", "{\"a\":1}", "[\"a\"] trailing", "[\"a\",]", #"["\ud83d"]"#, #"["\x"]"#, "[\"a\u{1}\"",
            "null",
        ] {
            #expect(JSONValue.parseStringArray(text) == nil, "accepted \(text)")
        }
    }
}
