// The messages handed to libmosquitto and not yet acknowledged, by message id:
// the publisher's window. Bookkeeping only; it sends nothing.
/// Messages handed to libmosquitto and not yet acknowledged, by message id. QoS 0
/// ones that were still unwritten when a connection dropped are gone (libmosquitto
/// drops its unsent packets), so a new connection forgets them; QoS 1 ones stay
/// until their PUBACK (libmosquitto resends them after a reconnect).
struct InFlight {
    private var qosByID: [Int32: Int] = [:]
    private var earlyAcks = Set<Int32>()   // acknowledged before sent() recorded them

    var count: Int { qosByID.count }

    mutating func sent(_ mid: Int32, qos: Int) {
        if earlyAcks.remove(mid) != nil { return }
        qosByID[mid] = qos
    }

    mutating func acknowledged(_ mid: Int32) {
        if qosByID.removeValue(forKey: mid) == nil { earlyAcks.insert(mid) }
    }

    mutating func connectionReset() {
        qosByID = qosByID.filter { $0.value > 0 }
        earlyAcks.removeAll()
    }
}
