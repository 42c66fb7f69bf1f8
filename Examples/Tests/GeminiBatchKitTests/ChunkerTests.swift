import GeminiBatchKit
import Testing

@Suite("Chunker")
struct ChunkerTests {
    @Test("chunks stay within the limit and join back to the text", arguments: [100, 250, 1_000])
    func lossless(limit: Int) {
        let text = (1...40).map { "Paragraph \($0). " + String(repeating: "Some words here. ", count: $0 % 7 + 1) }.joined(separator: "\n\n")
        let chunks = Chunker(maxCharacters: limit).chunks(of: text)
        #expect(chunks.allSatisfy { $0.count <= limit })
        #expect(chunks.joined() == text)
        #expect(chunks.count >= text.count / limit)
    }

    @Test("cuts prefer paragraph breaks, then sentence ends")
    func boundaries() {
        let text = String(repeating: "a", count: 60) + "\n\n" + String(repeating: "b", count: 60)
        let chunks = Chunker(maxCharacters: 100).chunks(of: text)
        #expect(chunks.first == String(repeating: "a", count: 60) + "\n\n")
        let sentences = String(repeating: "x", count: 70) + ". " + String(repeating: "y", count: 70)
        #expect(Chunker(maxCharacters: 100).chunks(of: sentences).first?.hasSuffix(". ") == true)
    }

    @Test("a run without separators is cut hard; whitespace-only chunks are dropped")
    func hardCut() {
        let chunks = Chunker(maxCharacters: 10).chunks(of: String(repeating: "z", count: 25))
        #expect(chunks.map(\.count) == [10, 10, 5])
        #expect(Chunker(maxCharacters: 10).chunks(of: "   \n  ").isEmpty)
        #expect(Chunker(maxCharacters: 10).chunks(of: "").isEmpty)
    }

    @Test("characters, not bytes: multi-byte text is never split inside a character")
    func unicode() {
        let text = String(repeating: "héllo wörld 👋🏽 ", count: 20)
        let chunks = Chunker(maxCharacters: 30).chunks(of: text)
        #expect(chunks.joined() == text)
        #expect(chunks.allSatisfy { $0.count <= 30 })
    }
}

@Suite("Prompt templates")
struct PromptTemplateTests {
    @Test("placeholders are filled once; unknown braces stay")
    func render() {
        let template = PromptTemplate("File {file}, part {index}/{count}: {chunk} {unknown} {")
        let text = template.render(["file": "a.txt", "index": "1", "count": "3", "chunk": "says {file}"])
        #expect(text == "File a.txt, part 1/3: says {file} {unknown} {")
    }

    @Test("the defaults name the chunk and the answers")
    func defaults() {
        #expect(PromptTemplate.defaultChunk.mentions("chunk"))
        #expect(PromptTemplate.defaultSummary.mentions("answers"))
    }
}
