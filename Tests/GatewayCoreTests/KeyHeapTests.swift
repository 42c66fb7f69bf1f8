@testable import GatewayCore
import Testing

/// The pool's ranking: an indexed heap that must always yield the best key, however its
/// priorities change.
@Suite("Key ranking heap")
struct KeyHeapTests {
    @Test("random inserts, updates and removals: the top is always the brute-force minimum", arguments: [1, 2, 3])
    func randomOperations(seed: UInt64) {
        let random = RandomSource.seeded(seed)
        func draw(_ below: Int) -> Int { Int(random.next() * Double(below)) }
        let size = 64
        var heap = KeyHeap(capacity: size)
        var model: [Int: KeyPriority] = [:]
        for _ in 0..<5_000 {
            let key = draw(size)
            switch draw(4) {
            case 0, 1:
                let value = KeyPriority(
                    leases: draw(3), groupLeases: draw(5),
                    groupSize: 1 + draw(3), lastChosen: draw(50))
                heap.set(key, value)
                model[key] = value
            case 2:
                heap.remove(key)
                model[key] = nil
            default:
                if let top = heap.popTop() { model[top] = nil }
            }
            #expect(heap.count == model.count)
            if let top = heap.top {
                let best = model.values.min()!
                #expect(!(best < model[top]!), "the top must be a minimum")
            } else {
                #expect(model.isEmpty)
            }
        }
    }

    @Test("free keys first, then the lighter project, then fewer leases, then the key chosen longest ago")
    func ordering() {
        let free = KeyPriority(leases: 0, groupLeases: 5, groupSize: 1, lastChosen: 9)
        let busyLight = KeyPriority(leases: 1, groupLeases: 1, groupSize: 4, lastChosen: 1)
        let busyHeavy = KeyPriority(leases: 1, groupLeases: 3, groupSize: 4, lastChosen: 0)
        #expect(free < busyLight && busyLight < busyHeavy)
        #expect(KeyPriority(leases: 1, groupLeases: 2, groupSize: 2) < KeyPriority(leases: 2, groupLeases: 2, groupSize: 2))
        #expect(KeyPriority(leases: 1, lastChosen: 3) < KeyPriority(leases: 1, lastChosen: 4))
    }
}
