// The keys a fer-cam config file may set: fer-cam's long flags, each marked
// as a switch (true/false, no value) or not. One list, checked against the
// executable's real options by ServiceConfigTests, so it cannot drift.
// mqtt-password is a key but no flag (fileOnly: a secret stays out of argv).
// Left out on purpose: config (no nesting), probe and list-devices
// (one-shot commands, not service settings), help and version.
public enum ConfigKeys {
    /// key → isSwitch.
    public static let known: [String: Bool] = [
        "source": false, "size": false, "fps": false, "pixel-format": false, "frames": false,
        "model": false, "cascade": false, "log": false, "show": true, "update-interval": false,
        "detect-interval": false, "detect-width": false, "scale-factor": false, "min-neighbors": false,
        "min-face": false, "equalize": true, "margin": false, "smoothing": false, "max-missed": false,
        "ring": false, "frame-timeout": false, "threads": false, "pace": true, "no-pace": true,
        "test-fault": false, "stream": false, "stream-token": false, "stream-fps": false,
        "stream-max-clients": false, "max-face": false, "no-track-roi": true, "no-motion-gate": true,
        "busy-scan-period": false, "scan-period": false, "confirm-hits": false, "classify-interval": false,
        "mqtt": false, "mqtt-ca": false, "mqtt-topic": false, "name": false, "mqtt-qos": false, "mqtt-queue": false,
        "mqtt-state-rate": false, "no-ha-discovery": true, "mqtt-password": false,
    ]

    /// Keys only a config file may set, never a flag (secrets stay out of argv and `ps`):
    /// fer-cam reads them from the file itself.
    public static let fileOnly: Set<String> = ["mqtt-password"]

    /// Flags of fer-cam that are deliberately not config keys.
    public static let excluded: Set<String> = ["config", "probe", "list-devices", "help", "version"]
}
