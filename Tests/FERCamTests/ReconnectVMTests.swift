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

    @Test func loopbackUnloadedAndReloadedIsReconnected() throws {
        guard FileManager.default.isExecutableFile(atPath: runInVM) else {
            Issue.record("\(runInVM) is missing: the V4L2 tests need ../shared/v4l2vm")
            return
        }
        let clip = try TestPaths.requireMedia("short_hamilton_clip.mp4")
        let binary = try TestPaths.ferCamBinary()
        let rel = binary.hasPrefix(TestPaths.packageRoot + "/") ? String(binary.dropFirst(TestPaths.packageRoot.count + 1)) : binary
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
        kill -TERM $pid; wait $pid; echo "rc=$?"
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
}
