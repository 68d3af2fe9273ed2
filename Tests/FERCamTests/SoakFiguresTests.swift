// The soak's figures and flatness rule on made-up sample series (a flat one,
// a leaking one, growing threads, leaked descriptors, too short a run), and
// /proc/<pid>/status parsing on a real-looking text and on this process, and
// descriptor kinds from link targets and from a child with known descriptors.
import Foundation
import Testing
@testable import FERCam

@Suite struct SoakFiguresTests {
    /// Samples every 10 s for `minutes`, RSS = base + perHour × t/3600 (+ a wobble of ±500 kB).
    private func series(minutes: Int, rssBase: Int = 200_000, perHourKB: Double = 0, threads: (Double) -> Int = { _ in 20 }) -> [ProcSample] {
        stride(from: 0.0, through: Double(minutes * 60), by: 10).enumerated().map { i, t in
            ProcSample(t: t, rssKB: rssBase + Int(perHourKB * t / 3600) + (i % 2 == 0 ? 500 : -500), fds: 30 + i % 3, threads: threads(t))
        }
    }
    private let quiet = ProcSample(t: 1, rssKB: 1, fds: 25, threads: 20)

    @Test func flatSeriesIsFlat() {
        let f = SoakFigures(samples: series(minutes: 15), warmupSeconds: 180, quietStart: quiet, quietEnd: quiet)
        #expect(f.rssWarmupKB == 200_500 && f.rssMaxKB == 200_500 && f.samplesAfterWarmup == 73)
        #expect(abs(f.rssGrowthKBPerHour) < 1000)
        #expect(f.fdsMin == 30 && f.fdsMax == 32 && f.threadsMin == 20 && f.threadsMax == 20)
        let v = f.verdict()
        #expect(v.flat, "\(v.reasons)")
    }

    @Test func leakIsNotFlat() {
        // 100 MB per hour: 25 MB over a 15-minute run.
        let f = SoakFigures(samples: series(minutes: 15, perHourKB: 100_000), warmupSeconds: 180, quietStart: quiet, quietEnd: quiet)
        #expect(abs(f.rssGrowthKBPerHour - 100_000) < 2000)
        let v = f.verdict()
        #expect(!v.flat && v.reasons.count == 1 && v.reasons[0].hasPrefix("RSS grows"))
    }

    @Test func growingThreadsAndLeakedFdsAreNotFlat() {
        let f = SoakFigures(samples: series(minutes: 15, threads: { 20 + Int($0 / 60) }), warmupSeconds: 180,
                            quietStart: quiet, quietEnd: ProcSample(t: 900, rssKB: 1, fds: 40, threads: 20))
        let v = f.verdict()
        #expect(!v.flat)
        #expect(v.reasons.contains { $0.hasPrefix("open fds with no clients: 25 at start, 40 at end") })
        #expect(v.reasons.contains { $0.hasPrefix("threads reach 35 after warm-up, at most 22 during it") })
    }

    @Test func tooShortRunHasNoVerdict() {
        let f = SoakFigures(samples: series(minutes: 1), warmupSeconds: 60, quietStart: quiet, quietEnd: quiet)
        #expect(f.samplesAfterWarmup == 1)
        #expect(!f.verdict().flat)
    }

    @Test func slopeOfALine() {
        #expect(SoakFigures.slope([(0, 1), (1, 3), (2, 5)]) == 2)
        #expect(SoakFigures.slope([(0, 1)]) == 0)
    }

    @Test func parsesProcStatus() throws {
        let text = "Name:\tfer-cam\nState:\tS (sleeping)\nVmPeak:\t  300000 kB\nVmRSS:\t   123456 kB\nThreads:\t17\nSigQ:\t0/1\n"
        let parsed = try #require(ProcSampler.parseStatus(text))
        #expect(parsed.rssKB == 123_456 && parsed.threads == 17)
        #expect(ProcSampler.parseStatus("Name:\tzombie\nThreads:\t1\n")?.rssKB == nil)
    }

    @Test func samplesThisProcess() throws {
        let s = try #require(ProcSampler.sample(pid: getpid(), t: 0))
        #expect(s.rssKB > 0 && s.fds >= 3 && s.threads >= 1)
        #expect(ProcSampler.sample(pid: Int32.max, t: 0) == nil)
    }

    @Test func namesDescriptorKinds() throws {
        #expect(ProcSampler.descriptorKind(linkTarget: "socket:[2694286]") == "socket")
        #expect(ProcSampler.descriptorKind(linkTarget: "pipe:[2693491]") == "pipe")
        #expect(ProcSampler.descriptorKind(linkTarget: "anon_inode:[eventpoll]") == "eventpoll")
        #expect(ProcSampler.descriptorKind(linkTarget: "anon_inode:[timerfd]") == "timerfd")
        #expect(ProcSampler.descriptorKind(linkTarget: "/dev/null") == "/dev/null")
        #expect(ProcSampler.descriptorKind(linkTarget: "/tmp/x/events.jsonl") == "file")
        // A child whose descriptors are known: stdin a pipe, stdout and stderr /dev/null.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        let input = Pipe()
        child.standardInput = input
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        // SIGKILL: a child of a test thread inherits its blocked SIGTERM.
        defer { kill(child.processIdentifier, SIGKILL); child.waitUntilExit() }
        // Just after run() the child may not have exec'd yet, and its descriptors change until it
        // has: read both counts once they agree twice in a row (a generous bound, not a timing).
        let pid = child.processIdentifier
        var kinds: [String: Int] = [:], fds: Int?, agreed = 0
        let deadline = Date().addingTimeInterval(20)
        while agreed < 2 && Date() < deadline {
            kinds = ProcSampler.descriptorKinds(pid: pid)
            fds = ProcSampler.sample(pid: pid, t: 0)?.fds
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            agreed = comm.hasPrefix("sleep") && kinds.values.reduce(0, +) == fds ? agreed + 1 : 0
            usleep(20_000)
        }
        // It may inherit more (descriptors of this process without close-on-exec); these are its own.
        #expect(kinds["/dev/null"] == 2 && kinds["pipe", default: 0] >= 1, "\(kinds)")
        #expect(kinds.values.reduce(0, +) == fds, "\(kinds) against \(String(describing: fds)) in /proc/\(pid)/fd")
        #expect(ProcSampler.descriptorKinds(pid: Int32.max).isEmpty)
    }
}
