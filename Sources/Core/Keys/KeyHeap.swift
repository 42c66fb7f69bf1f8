/// An indexed binary min-heap of keys by ``KeyPriority``: the best key to lease is at the top.
/// Insert, remove, update and pop are O(log n); membership is O(1). Keys are their indices.
struct KeyHeap: Sendable {
    private var heap: [Int] = []
    /// Heap position of each key, or -1 when the key is not in the heap.
    private var position: [Int]
    private var priority: [KeyPriority]

    init(capacity: Int) {
        position = Array(repeating: -1, count: capacity)
        priority = Array(repeating: KeyPriority(), count: capacity)
    }

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    func contains(_ key: Int) -> Bool { position[key] >= 0 }
    /// The best key, without removing it.
    var top: Int? { heap.first }

    /// Inserts `key`, or moves it to `value` if present.
    mutating func set(_ key: Int, _ value: KeyPriority) {
        priority[key] = value
        if position[key] < 0 {
            heap.append(key)
            position[key] = heap.count - 1
            siftUp(heap.count - 1)
        } else {
            let at = position[key]
            siftUp(at)
            siftDown(position[key])
        }
    }

    /// Changes `key`'s priority if it is in the heap; otherwise only remembers it.
    mutating func updateIfPresent(_ key: Int, _ value: KeyPriority) {
        if position[key] >= 0 { set(key, value) } else { priority[key] = value }
    }

    mutating func remove(_ key: Int) {
        let at = position[key]
        guard at >= 0 else { return }
        let last = heap.count - 1
        swapAt(at, last)
        heap.removeLast()
        position[key] = -1
        if at < heap.count {
            let moved = heap[at]
            siftUp(at)
            siftDown(position[moved])
        }
    }

    mutating func popTop() -> Int? {
        guard let key = heap.first else { return nil }
        remove(key)
        return key
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard priority[heap[child]] < priority[heap[parent]] else { return }
            swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, priority[heap[left]] < priority[heap[best]] { best = left }
            if right < heap.count, priority[heap[right]] < priority[heap[best]] { best = right }
            guard best != parent else { return }
            swapAt(parent, best)
            parent = best
        }
    }

    private mutating func swapAt(_ a: Int, _ b: Int) {
        guard a != b else { return }
        heap.swapAt(a, b)
        position[heap[a]] = a
        position[heap[b]] = b
    }
}

/// How good a key is to lease next; smaller is better: a free key before a leased one, then the
/// key whose quota group carries fewer leases per key, then fewer leases of its own, then the
/// key chosen longest ago (so equal keys take turns).
struct KeyPriority: Comparable, Sendable {
    var leases = 0
    var groupLeases = 0
    var groupSize = 1
    var lastChosen = 0

    static func < (a: KeyPriority, b: KeyPriority) -> Bool {
        if (a.leases == 0) != (b.leases == 0) { return a.leases == 0 }
        // groupLeases / groupSize, compared without division.
        let (loadA, loadB) = (a.groupLeases * b.groupSize, b.groupLeases * a.groupSize)
        if loadA != loadB { return loadA < loadB }
        if a.leases != b.leases { return a.leases < b.leases }
        return a.lastChosen < b.lastChosen
    }
}
