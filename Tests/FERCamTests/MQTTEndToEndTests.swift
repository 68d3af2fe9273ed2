// fer-cam --mqtt end to end, with a real mosquitto broker and the release
// binary: every detection-log line on <prefix>/events byte for byte and in
// order; none lost across a broker restart; the last will on kill -9; Home
// Assistant discovery a consumer can follow; exit codes for bad input.
// No test asserts a duration: each waits for its condition with a generous bound.
import Foundation
import Testing

@Suite(.serialized) struct MQTTEndToEndTests {
    let clip: String
    init() throws { clip = try TestPaths.requireMedia("short_hamilton_clip.mp4") }

    func logLines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func everyLogLineArrivesOnEventsByteForByteInOrder() throws {
        let broker = try TestBroker()
        let sub = try TestSubscriber(broker: broker, topics: ["fer-cam/e2e/#"])
        let log = "\(broker.dir)/events.jsonl"
        let cam = try BackgroundFerCam(["--source", clip, "--log", log, "--mqtt", broker.url, "--name", "e2e",
                                        "--model", TestModel.path, "--cascade", TestPaths.cascade], dir: broker.dir)
        let status = cam.waitForExit()
        #expect(status == 0, "fer-cam failed: \(cam.stderr)")
        let lines = logLines(log)
        #expect(lines.count > 2, "the clip should give events")
        MQTTTools.waitFor("\(lines.count) events on fer-cam/e2e/events") { sub.messages(on: "fer-cam/e2e/events").count >= lines.count }
        let received = sub.messages(on: "fer-cam/e2e/events")
        #expect(received == lines, "events topic differs from the log (\(received.count) received, \(lines.count) logged)")
        #expect(sub.messages(on: "fer-cam/e2e/availability").last == "offline", "a clean stop ends with offline")
        #expect(cam.stderr.contains("mqtt: connected"), "stderr: \(cam.stderr)")
    }

    @Test func theStreamTheLogAndMQTTSeeTheSameEvents() throws {
        let broker = try TestBroker()
        let sub = try TestSubscriber(broker: broker, topics: ["fer-cam/three/events"])
        let cam = try LiveFerCam(extra: ["--update-interval", "0.3", "--mqtt", broker.url, "--name", "three"])
        defer { cam.stop() }
        let port = try cam.waitForPort()
        let sse = try RawHTTP(port: port, path: "/events")
        let streamedBytes = sse.read(for: 30) { StreamEndToEndTests.sseEvents(RawHTTP.dechunk($0)).count >= 6 }
        let log = try cam.stopAndReadLog().split(separator: "\n").map(String.init)
        MQTTTools.waitFor("\(log.count) lines on fer-cam/three/events") { sub.messages(on: "fer-cam/three/events").count >= log.count }
        let overMQTT = sub.messages(on: "fer-cam/three/events")
        #expect(overMQTT == log, "MQTT's events differ from the log (\(overMQTT.count) received, \(log.count) logged)")
        // The page connected after start-up: what it got is a run of the log's detection lines, in order.
        let streamed = StreamEndToEndTests.sseEvents(streamedBytes)
        #expect(streamed.count >= 6, "only \(streamed.count) events on /events")
        let detections = log.filter { !$0.contains("\"event\":\"camera\"") }
        if let first = streamed.first, let start = detections.firstIndex(of: first) {
            #expect(Array(detections[start...].prefix(streamed.count)) == streamed, "/events is not the log's lines in order")
        } else {
            Issue.record("the first /events line is not in the log: \(streamed.first ?? "none")")
        }
    }

    @Test func brokerRestartMidRunLosesNothing() throws {
        let broker = try TestBroker()
        let sub = try TestSubscriber(broker: broker, topics: ["fer-cam/restart/events"])
        let log = "\(broker.dir)/events.jsonl"
        // --pace: the clip plays in real time (10 s), so the outage falls in the middle of the run.
        let cam = try BackgroundFerCam(["--source", clip, "--pace", "--update-interval", "0.5", "--log", log,
                                        "--mqtt", broker.url, "--name", "restart",
                                        "--model", TestModel.path, "--cascade", TestPaths.cascade], dir: broker.dir)
        MQTTTools.waitFor("the first event over MQTT") { !sub.messages(on: "fer-cam/restart/events").isEmpty }
        broker.stop()
        let atStop = logLines(log).count
        MQTTTools.waitFor("two more log lines while the broker is down") { logLines(log).count >= atStop + 2 || !cam.process.isRunning }
        let duringOutage = logLines(log).count - atStop
        try broker.start()
        let status = cam.waitForExit()
        #expect(status == 0, "fer-cam failed: \(cam.stderr)")
        #expect(duringOutage > 0, "no event was written while the broker was down; the test proved nothing")
        let lines = logLines(log)
        MQTTTools.waitFor("every logged event on the events topic") {
            Set(sub.messages(on: "fer-cam/restart/events")).isSuperset(of: lines)
        }
        let received = sub.messages(on: "fer-cam/restart/events")
        let missing = Set(lines).subtracting(received)
        #expect(missing.isEmpty, "\(missing.count) of \(lines.count) events lost across the restart")
        print("broker restart: \(lines.count) events logged, \(duringOutage) during the outage, \(received.count) received, \(received.count - Set(received).count) duplicates (QoS 1 allows them)")
        #expect(cam.stderr.contains("connection to"), "the loss should be logged: \(cam.stderr)")
    }

    @Test func killMinus9MakesTheBrokerPublishOffline() throws {
        let broker = try TestBroker()
        let sub = try TestSubscriber(broker: broker, topics: ["fer-cam/will/availability"])
        let httpPort = try MQTTTools.freePort()
        let cam = try BackgroundFerCam(["--source", "test", "--log", "\(broker.dir)/events.jsonl", "--mqtt", broker.url,
                                        "--name", "will", "--stream", "127.0.0.1:\(httpPort)",
                                        "--model", TestModel.path, "--cascade", TestPaths.cascade], dir: broker.dir)
        MQTTTools.waitFor("online on the availability topic") { sub.messages(on: "fer-cam/will/availability").last == "online" }
        // The publisher's figures reach /metrics.
        var metrics = ""
        MQTTTools.waitFor("fer_mqtt_connected 1 in /metrics") {
            metrics = (try? RawHTTP.get(port: httpPort, path: "/metrics").body) ?? ""
            return metrics.contains("fer_mqtt_connected 1")
        }
        for name in ["fer_mqtt_queued", "fer_mqtt_dropped_total", "fer_mqtt_published_total"] {
            #expect(metrics.contains("\n\(name) "), "/metrics lacks \(name):\n\(metrics)")
        }
        cam.process.kill(SIGKILL)
        cam.process.wait()
        MQTTTools.waitFor("the broker's last will: offline") { sub.messages(on: "fer-cam/will/availability").last == "offline" }
        #expect(sub.messages(on: "fer-cam/will/availability").suffix(2) == ["online", "offline"])
    }

    @Test func discoveryLetsAConsumerReadTheDominantEmotion() throws {
        let broker = try TestBroker()
        let sub = try TestSubscriber(broker: broker, topics: ["fer-cam/ha/#", "homeassistant/#"])
        let log = "\(broker.dir)/events.jsonl"
        let cam = try BackgroundFerCam(["--source", clip, "--log", log,
                                        "--mqtt", broker.url, "--name", "ha",
                                        "--model", TestModel.path, "--cascade", TestPaths.cascade], dir: broker.dir)
        #expect(cam.waitForExit() == 0, "fer-cam failed: \(cam.stderr)")
        let configTopic = "homeassistant/sensor/fer-cam_ha/emotion/config"
        MQTTTools.waitFor("discovery on \(configTopic)") { !sub.messages(on: configTopic).isEmpty }
        MQTTTools.waitFor("the final (empty) state") { sub.messages(on: "fer-cam/ha/state").last?.contains("\"count\":0") == true }
        let configText = try #require(sub.messages(on: configTopic).last)
        let config = try #require(try JSONSerialization.jsonObject(with: Data(configText.utf8)) as? [String: Any])
        #expect(config["unique_id"] as? String == "fer-cam_ha_emotion")
        #expect(config["availability_topic"] as? String == "fer-cam/ha/availability")
        let device = try #require(config["device"] as? [String: Any])
        #expect((device["identifiers"] as? [String])?.isEmpty == false && device["name"] != nil && device["sw_version"] != nil)
        let stateTopic = try #require(config["state_topic"] as? String)
        let template = try #require(config["value_template"] as? String)
        let field = String(try #require(template.firstMatch(of: /value_json\.(\w+)/)).1)
        // Follow the discovery: read the state topic, apply the template's field.
        let states = try sub.messages(on: stateTopic).map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let withFaces = states.filter { ($0["count"] as? Int ?? 0) > 0 }
        #expect(!withFaces.isEmpty, "no state with faces: \(states)")
        let labels = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
        for state in withFaces {
            // The test's own reading of "dominant": the largest summed score over the faces (ties: label order).
            let faces = try #require(state["faces"] as? [[String: Any]])
            var sums: [String: Double] = [:]
            for f in faces { sums[try #require(f["emotion"] as? String), default: 0] += try #require(f["score"] as? Double) }
            let expected = labels.filter { sums[$0] != nil }.max { sums[$0]! < sums[$1]! || (sums[$0]! == sums[$1]! && labels.firstIndex(of: $0)! > labels.firstIndex(of: $1)!) }
            #expect(state[field] as? String == expected, "state \(state)")
        }
        let logged = Set(try LoggedEvent.parse(logLines(log).joined(separator: "\n")).map(\.emotion))
        #expect(withFaces.allSatisfy { logged.contains($0[field] as? String ?? "") }, "dominant emotions \(withFaces.map { $0[field] ?? "" }) vs logged \(logged)")
        #expect(states.last?[field] as? String == "none", "no faces after the run")
        for object in ["sensor/fer-cam_ha/faces", "binary_sensor/fer-cam_ha/face_present"] {
            #expect(!sub.messages(on: "homeassistant/\(object)/config").isEmpty, "no discovery for \(object)")
        }
    }

    @Test func passwordFromTheConfigFileAndBadCredentialsRetried() throws {
        let broker = try TestBroker(users: ["cam": "right-pass"])
        let sub = try TestSubscriber(broker: broker, topics: ["fer-cam/auth/availability"])
        let config = "\(broker.dir)/cam.conf"
        try "mqtt-password = right-pass\n".write(toFile: config, atomically: true, encoding: .utf8)
        // A wrong password (the environment wins over the file): logged, retried, never fatal.
        let wrong = try BackgroundFerCam(["--config", config, "--source", "test", "--log", "\(broker.dir)/a.jsonl",
                                          "--mqtt", "mqtt://cam@127.0.0.1:\(broker.port)", "--name", "auth",
                                          "--model", TestModel.path, "--cascade", TestPaths.cascade],
                                         dir: broker.dir, environment: ["FERCAM_MQTT_PASSWORD": "wrong-pass"])
        MQTTTools.waitFor("the refusal in the journal") { wrong.stderr.contains("not authorised") }
        #expect(wrong.process.isRunning, "bad credentials must not stop fer-cam: \(wrong.stderr)")
        #expect(!wrong.stderr.contains("wrong-pass"), "the password must never be logged")
        wrong.process.kill(SIGTERM)
        #expect(wrong.waitForExit() == 0, "stderr: \(wrong.stderr)")
        #expect(sub.messages(on: "fer-cam/auth/availability").isEmpty)
        // The config file's password.
        let right = try BackgroundFerCam(["--config", config, "--source", "test", "--log", "\(broker.dir)/b.jsonl",
                                          "--mqtt", "mqtt://cam@127.0.0.1:\(broker.port)", "--name", "auth",
                                          "--model", TestModel.path, "--cascade", TestPaths.cascade], dir: broker.dir)
        MQTTTools.waitFor("online with the config file's password") { sub.messages(on: "fer-cam/auth/availability").last == "online" }
        right.process.kill(SIGTERM)
        #expect(right.waitForExit() == 0, "stderr: \(right.stderr)")
        MQTTTools.waitFor("offline after a clean stop") { sub.messages(on: "fer-cam/auth/availability").last == "offline" }
    }

    @Test func noBrokerIsAWarningAndAFullQueueDropsTheOldestCounted() throws {
        let port = try MQTTTools.freePort()   // nobody listens there
        let r = try runProcess(try TestPaths.ferCamBinary(),
                               ["--source", "test", "--frames", "90", "--no-pace", "--update-interval", "0", "--log", "/dev/null",
                                "--mqtt", "mqtt://127.0.0.1:\(port)", "--mqtt-queue", "3",
                                "--model", TestModel.path, "--cascade", TestPaths.cascade], timeout: 120)
        #expect(r.status == 0, "an unreachable broker must not fail the run: \(r.stderr)")
        #expect(r.stderr.contains("mqtt: cannot connect to mqtt://127.0.0.1:\(port)") && r.stderr.contains("retrying"), "stderr: \(r.stderr)")
        let stopped = try #require(r.stderr.split(separator: "\n").first { $0.contains("mqtt: stopped") }, "stderr: \(r.stderr)")
        let dropped = try #require(stopped.firstMatch(of: /(\d+) dropped/)).1
        #expect(Int(dropped) ?? 0 > 0, "the 3-message queue should have dropped some: \(stopped)")
        #expect(r.stderr.contains("messages not sent"), "what was left is said at the stop: \(r.stderr)")
    }

    @Test func tlsWithTheBrokersCAConnectsAndAnUntrustedOneIsRetried() throws {
        let broker = try TestBroker(tls: true)
        let tlsPort = try #require(broker.tlsPort)
        let sub = try TestSubscriber(broker: broker, topics: ["fer-cam/tls/availability"])
        // The system CAs do not trust the test CA: logged and retried, never fatal.
        let untrusted = try BackgroundFerCam(["--source", "test", "--log", "\(broker.dir)/a.jsonl", "--mqtt", "mqtts://127.0.0.1:\(tlsPort)",
                                              "--name", "tls", "--model", TestModel.path, "--cascade", TestPaths.cascade], dir: broker.dir)
        MQTTTools.waitFor("the TLS failure in the journal") { untrusted.stderr.contains("retrying") }
        #expect(untrusted.process.isRunning, "stderr: \(untrusted.stderr)")
        untrusted.process.kill(SIGTERM)
        #expect(untrusted.waitForExit() == 0, "stderr: \(untrusted.stderr)")
        #expect(sub.messages(on: "fer-cam/tls/availability").isEmpty)
        // --mqtt-ca with the broker's CA.
        let trusted = try BackgroundFerCam(["--source", "test", "--log", "\(broker.dir)/b.jsonl", "--mqtt", "mqtts://127.0.0.1:\(tlsPort)",
                                            "--mqtt-ca", broker.caFile, "--name", "tls",
                                            "--model", TestModel.path, "--cascade", TestPaths.cascade], dir: broker.dir)
        MQTTTools.waitFor("online over TLS") { sub.messages(on: "fer-cam/tls/availability").last == "online" }
        #expect(trusted.stderr.contains("mqtt: connected to mqtts://127.0.0.1:\(tlsPort)"), "stderr: \(trusted.stderr)")
        trusted.process.kill(SIGTERM)
        #expect(trusted.waitForExit() == 0, "stderr: \(trusted.stderr)")
    }

    @Test func malformedURLExits64AndMissingCAExits66() throws {
        let bin = try TestPaths.ferCamBinary()
        let bad = try runProcess(bin, ["--source", "test", "--frames", "1", "--mqtt", "tcp://broker:1883"], timeout: 60)
        #expect(bad.status == 64, "stderr: \(bad.stderr)")
        #expect(bad.stderr.contains("tcp://broker:1883") && bad.stderr.contains("mqtt://[user@]host[:port]"), "stderr: \(bad.stderr)")
        let secret = try runProcess(bin, ["--source", "test", "--frames", "1", "--mqtt", "mqtt://u:hunter2@broker"], timeout: 60)
        #expect(secret.status == 64 && !secret.stderr.contains("hunter2"), "stderr: \(secret.stderr)")
        let ca = try runProcess(bin, ["--source", "test", "--frames", "1", "--mqtt", "mqtts://127.0.0.1:1",
                                      "--mqtt-ca", "/nonexistent/fer-ca.pem"], timeout: 60)
        #expect(ca.status == 66, "stderr: \(ca.stderr)")
        #expect(ca.stderr.contains("/nonexistent/fer-ca.pem"), "stderr: \(ca.stderr)")
    }
}
