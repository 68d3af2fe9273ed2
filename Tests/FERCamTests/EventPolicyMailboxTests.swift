// The mailbox hands a posted policy over exactly once; the latest post wins.
import Testing
@testable import FERCam

@Test func mailboxGivesTheLatestPolicyOnce() {
    let m = EventPolicyMailbox()
    #expect(m.take() == nil)
    m.post(EventPolicy(updateInterval: 3))
    m.post(EventPolicy(updateInterval: 7))
    #expect(m.take()?.updateInterval == 7)
    #expect(m.take() == nil)
}
