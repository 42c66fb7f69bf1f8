/// Admissions inside a sliding window, oldest first, each with a weight (1 for a request, its
/// tokens for token quotas), and the running total of the weights.
///
/// A FIFO over an array with a moving head; the dead prefix is dropped once it is at least
/// half the storage, so memory stays proportional to what is inside the window.
struct TimeWindow: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var time: Duration
        var weight: Int
    }

    private var storage: [Entry] = []
    private var head = 0
    /// The sum of the weights inside the window.
    private(set) var total = 0

    /// Entries inside the window.
    var count: Int { storage.count - head }

    /// The entry `index` places after the oldest.
    subscript(index: Int) -> Entry { storage[head + index] }

    mutating func append(_ time: Duration, weight: Int = 1) {
        storage.append(Entry(time: time, weight: weight))
        total += weight
    }

    /// Drops entries at or before `cutoff`: the window is half-open, (cutoff, now].
    mutating func drop(atOrBefore cutoff: Duration) {
        while head < storage.count, storage[head].time <= cutoff {
            total -= storage[head].weight
            head += 1
        }
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    mutating func removeAll() {
        storage.removeAll()
        head = 0
        total = 0
    }
}
