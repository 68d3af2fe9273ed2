// Camera loss and return against a real kernel driver (../shared/v4l2vm,
// v4l2loopback fed with the clip): fer-cam streams, the loopback writer is
// killed and the module unloaded (the device node disappears), then the
// module is loaded again and a new writer started. The log must read
// camera lost → camera streaming → faces again, and fer-cam must still be
// running until SIGTERM. One VM run; emulated and slow, correctness only.
// Each wait inside has its own bound (at most 120 s for the first face, 30 s
// for the loss, 30 s for the unload, 120 s for faces again) and the whole run
// gets more than their sum, so a slow VM fails on the wait that was slow,
// named by the timestamped lines in stdout.
import Foundation
import Testing
@testable import FERCam

@Suite(.serialized) struct ReconnectVMTests {
    private var runInVM: String { TestPaths.shared + "/v4l2vm/run-in-vm" }

    /// The clip the loopback plays and fer-cam's path relative to the package
    /// (the VM shares the package folder); nil, with an issue, without the VM.
    private func vmInputs() throws -> (clip: String, ferCam: String)? {
        guard FileManager.default.isExecutableFile(atPath: runInVM) else {
            Issue.record("\(runInVM) is missing: the V4L2 tests need ../shared/v4l2vm")
            return nil
        }
        let clip = try TestPaths.requireMedia("short_hamilton_clip.mp4")
        let binary = try TestPaths.ferCamBinary()
        let rel = binary.hasPrefix(TestPaths.packageRoot + "/") ? String(binary.dropFirst(TestPaths.packageRoot.count + 1)) : binary
        return (clip, rel)
    }

    @Test func loopbackUnloadedAndReloadedIsReconnected() throws {
        guard let inputs = try vmInputs() else { return }
        let (clip, rel) = (inputs.clip, inputs.ferCam)
        let log = ".build/vm-reconnect-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        // The writer's own command line (from /proc) restarts it after the reload.
        let cmd = """
        LOG=\(log); rm -f $LOG; t0=$(date +%s)
        mark() { echo "at $(( $(date +%s) - t0 ))s: $*"; }
        $FERCAM "$V4L2VM_LOOP_DEV" --frame-timeout 1500 --detect-width 320 --detect-interval 2 \
            --model \(TestModel.path) --log $LOG 2>>$LOG.err & pid=$!
        has() { grep -q "$1" $LOG 2>/dev/null; }
        for i in $(seq 1 480); do has '"event":"start"' && break; [ -e /proc/$pid ] || break; sleep 0.25; done
        mark "faces_before=$(grep -c '"event":"start"' $LOG)"
        fp=$(pidof v4l2vm-feed || pgrep -x v4l2vm-feed); writer=$(tr '\\0' ' ' < /proc/$fp/cmdline)
        kill $fp; mark "writer $fp killed"
        for i in $(seq 1 120); do has '"state":"lost"' && break; sleep 0.25; done
        mark "lost_seen=$(grep -c '"state":"lost"' $LOG)"
        for i in $(seq 1 120); do modprobe -r v4l2loopback 2>/dev/null && break; sleep 0.25; done
        [ -e "$V4L2VM_LOOP_DEV" ] && echo "unloaded=no" || echo "unloaded=yes"
        sleep 2
        modprobe v4l2loopback devices=1 video_nr=${V4L2VM_LOOP_DEV#/dev/video} card_label=v4l2vm-loopback exclusive_caps=1
        $writer >/dev/null 2>&1 & wp=$!
        mark "module reloaded, writer restarted"
        back() { awk '/"state":"streaming"/{s=1} s && /"event":"start"/{f=1} END{exit !f}' $LOG; }
        for i in $(seq 1 480); do back && break; sleep 0.25; done
        mark "back"
        [ -e /proc/$pid ] && echo "running=yes" || echo "running=no"
        \(Self.stopCommand)
        stop_fercam back; echo "rc=$rc"
        kill $wp
        cat $LOG; cat $LOG.err >&2; rm -f $LOG $LOG.err
        """
        var env = ProcessInfo.processInfo.environment
        env["V4L2VM_CACHE"] = TestPaths.packageRoot + "/.v4l2vm-cache"
        let r = try runProcess(runInVM, ["--loopback", clip, "--loop-fps", "15", "--timeout", "420", "--env", "FERCAM=\(rel)",
                                         "--", "sh", "-c", cmd], environment: env, timeout: 800, directory: TestPaths.packageRoot)
        #expect(r.status == 0, "vm exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("unloaded=yes"), "the loopback module could not be unloaded: \(r.stdout)")
        #expect(r.stdout.contains("running=yes"), "fer-cam exited while the camera was away: \(r.stderr)")
        #expect(r.stdout.contains("rc=0"), "\(r.stdout)")
        let lines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == lines.count, "every log line is JSON")
        func isCamera(_ o: [String: Any], _ state: String) -> Bool { o["event"] as? String == "camera" && o["state"] as? String == state }
        let lost = try #require(objects.firstIndex { isCamera($0, "lost") }, "no camera lost line: \(r.stdout)\n\(r.stderr)")
        #expect(objects[..<lost].contains { $0["event"] as? String == "start" }, "faces before the loss")
        let back = try #require(objects[lost...].firstIndex { isCamera($0, "streaming") }, "no camera streaming line: \(r.stderr)")
        #expect(objects[back...].contains { $0["event"] as? String == "start" }, "faces after the return")
        #expect(objects.allSatisfy { ($0["source"] as? String)?.hasPrefix("/dev/video") == true })
    }

    /// `stop_fercam STATE`: SIGTERM to $pid, then a bounded wait (60 s). A
    /// fer-cam still running then has its threads' kernel wait channels
    /// printed (`hung_STATE:` lines) and is killed, so a hang fails on its own
    /// line instead of the VM's limit. Sets rc and prints `stop_STATE=rc`.
    static let stopCommand = """
    stop_fercam() {
        kill -TERM $pid
        ( sleep 60; if [ -e /proc/$pid ]; then echo "hung_$1: still running 60 s after SIGTERM"
              for t in /proc/$pid/task/*; do echo "hung_$1: $(cat $t/comm) $(cat $t/wchan)"; done
              kill -9 $pid; fi ) & guard=$!
        wait $pid; rc=$?; kill $guard 2>/dev/null; wait $guard 2>/dev/null
        echo "stop_$1=$rc"
    }
    """

    /// SIGTERM in each state of a real camera after streaming: lost (the
    /// writer is gone; fer-cam waits and retries), reopening (the device
    /// node is gone: every reopen fails), just back (the node returned and
    /// the camera line says streaming). Each must exit 0 with every track
    /// closed. (Stopping while streaming is the end of the test above.)
    @Test func sigtermInEveryCameraStateExitsCleanly() throws {
        guard let inputs = try vmInputs() else { return }
        let (clip, rel) = (inputs.clip, inputs.ferCam)
        let log = ".build/vm-states-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let cmd = """
        L=\(log); t0=$(date +%s)
        mark() { echo "at $(( $(date +%s) - t0 ))s: $*"; }
        \(Self.stopCommand)
        fp=$(pidof v4l2vm-feed || pgrep -x v4l2vm-feed); writer=$(tr '\\0' ' ' < /proc/$fp/cmdline)
        nr=${V4L2VM_LOOP_DEV#/dev/video}
        start_fercam() {   # $1: log name; waits for the first face (at most 120 s)
            rm -f $L.$1.jsonl
            $FERCAM "$V4L2VM_LOOP_DEV" --frame-timeout 1500 --detect-width 320 --detect-interval 2 \\
                --model \(TestModel.path) --log $L.$1.jsonl 2>>$L.$1.err & pid=$!
            for i in $(seq 1 480); do grep -q '"event":"start"' $L.$1.jsonl 2>/dev/null && break; [ -e /proc/$pid ] || break; sleep 0.25; done
            mark "$1: faces=$(grep -c '"event":"start"' $L.$1.jsonl)"
        }
        lose_writer() {    # kills the writer, waits for fer-cam's lost line in log $1
            kill $fp; wait $fp 2>/dev/null
            for i in $(seq 1 120); do grep -q '"state":"lost"' $L.$1.jsonl && break; sleep 0.25; done
            mark "$1: lost=$(grep -c '"state":"lost"' $L.$1.jsonl)"
        }
        unload() {
            for i in $(seq 1 120); do modprobe -r v4l2loopback 2>/dev/null && break; sleep 0.25; done
            [ -e "$V4L2VM_LOOP_DEV" ] && mark "unloaded=no" || mark "unloaded=yes"
        }
        reload() {
            modprobe v4l2loopback devices=1 video_nr=$nr card_label=v4l2vm-loopback exclusive_caps=1
            $writer >/dev/null 2>&1 & fp=$!
            mark "module reloaded, writer $fp started"
        }
        start_fercam lost; lose_writer lost
        stop_fercam lost
        unload; reload
        start_fercam reopening; lose_writer reopening; unload; sleep 2
        stop_fercam reopening
        reload
        start_fercam justback; lose_writer justback; unload; reload
        for i in $(seq 1 480); do grep -q '"state":"streaming"' $L.justback.jsonl && break; sleep 0.25; done
        mark "justback: streaming=$(grep -c '"state":"streaming"' $L.justback.jsonl)"
        stop_fercam justback
        kill $fp
        for s in lost reopening justback; do echo "== $s"; cat $L.$s.jsonl; cat $L.$s.err >&2; done
        rm -f $L.*
        """
        var env = ProcessInfo.processInfo.environment
        env["V4L2VM_CACHE"] = TestPaths.packageRoot + "/.v4l2vm-cache"
        let r = try runProcess(runInVM, ["--loopback", clip, "--loop-fps", "15", "--timeout", "600", "--env", "FERCAM=\(rel)",
                                         "--", "sh", "-c", cmd], environment: env, timeout: 1000, directory: TestPaths.packageRoot)
        #expect(r.status == 0, "vm exit \(r.status)\n\(r.stdout)\n\(r.stderr)")
        #expect(!r.stdout.contains("hung_"), "fer-cam ignored SIGTERM:\n\(r.stdout)")
        #expect(r.stdout.contains("unloaded=yes"), "the loopback module could not be unloaded: \(r.stdout)")
        // Each state's log, split at its "== state" header.
        var logs: [String: [[String: Any]]] = [:]
        var current = ""
        for line in r.stdout.split(separator: "\n") {
            if line.hasPrefix("== ") { current = String(line.dropFirst(3)); logs[current] = []; continue }
            guard line.hasPrefix("{"), !current.isEmpty else { continue }
            let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(o != nil, "\(current): not JSON: \(line)")
            if let o { logs[current]?.append(o) }
        }
        for state in ["lost", "reopening", "justback"] {
            #expect(r.stdout.contains("stop_\(state)=0"), "SIGTERM while \(state): \(r.stdout)\n\(r.stderr)")
            let events = logs[state] ?? []
            #expect(events.contains { $0["event"] as? String == "start" }, "\(state): no face before the loss: \(r.stdout)")
            #expect(events.contains { $0["event"] as? String == "camera" && $0["state"] as? String == "lost" }, "\(state): no lost line")
            var open = Set<Int>()
            for e in events {
                guard let kind = e["event"] as? String, let track = e["track"] as? Int else { continue }
                if kind == "start" { open.insert(track) }
                if kind == "end" { open.remove(track) }
            }
            #expect(open.isEmpty, "\(state): tracks without an end: \(open.sorted())")
        }
        #expect((logs["justback"] ?? []).contains { $0["event"] as? String == "camera" && $0["state"] as? String == "streaming" },
                "justback: the camera never came back: \(r.stdout)")
    }
}
