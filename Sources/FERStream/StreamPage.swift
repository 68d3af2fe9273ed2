// StreamPage: the self-contained live page served at / — inline HTML, CSS and JS, no
// external assets. It shows /stream.mjpg, the faces in view with seven emotion bars each,
// the camera state and the latest events, updated by /events (EventSource), no reload.
// Responsive: side panel on wide screens, stacked on a phone.

enum StreamPage {
    /// The page with `tokenQuery` ("" or "?token=...", already percent-encoded) appended
    /// to every sub-resource URL.
    static func html(tokenQuery: String) -> String {
        template
            .replacingAll("{{Q_ATTR}}", with: htmlEscaped(tokenQuery))
            .replacingAll("{{Q_JS}}", with: jsStringLiteral(tokenQuery))
    }

    static func htmlEscaped(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A double-quoted JS string literal that is also safe inside <script>.
    static func jsStringLiteral(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static let template = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>fer-cam live</title>
    <style>
    :root { color-scheme: dark; --bg:#111418; --panel:#1b2027; --fg:#e8ecf1; --dim:#8d97a5; --ok:#3fb950; --bad:#f85149; }
    * { box-sizing: border-box; }
    html, body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.4 system-ui, sans-serif; }
    header { display: flex; align-items: center; gap: .75em; padding: .4em .75em; }
    header h1 { font-size: 1em; margin: 0; font-weight: 600; }
    #cam { padding: .1em .6em; border-radius: 1em; background: var(--panel); color: var(--dim); font-size: .85em; }
    #cam.streaming { color: var(--ok); } #cam.lost { color: var(--bad); }
    main { display: grid; grid-template-columns: minmax(0, 1fr) 18em; gap: .5em; padding: 0 .5em .5em; }
    #video { margin: 0; background: #000; display: flex; align-items: center; justify-content: center; min-height: 8em; }
    #video img { display: block; width: 100%; height: auto; }
    aside { display: flex; flex-direction: column; gap: .5em; min-width: 0; }
    section { background: var(--panel); border-radius: .4em; padding: .5em .6em; }
    h2 { font-size: .8em; text-transform: uppercase; letter-spacing: .06em; color: var(--dim); margin: 0 0 .4em; }
    .face { margin-bottom: .6em; } .face b { font-weight: 600; }
    .bar { display: grid; grid-template-columns: 4.6em 1fr 2.8em; align-items: center; gap: .4em; font-size: .8em; }
    .bar i { display: block; height: .55em; background: #2b323c; border-radius: .3em; overflow: hidden; }
    .bar i s { display: block; height: 100%; background: #58a6ff; text-decoration: none; }
    .bar.top i s { background: #f0b72f; }
    .bar span:last-child { text-align: right; color: var(--dim); }
    #events { list-style: none; margin: 0; padding: 0; max-height: 22em; overflow-y: auto; font-size: .8em; }
    #events li { padding: .15em 0; border-bottom: 1px solid #262c35; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .none { color: var(--dim); font-size: .85em; }
    @media (max-width: 640px) { main { grid-template-columns: 1fr; } #events { max-height: 12em; } }
    </style>
    </head>
    <body>
    <header><h1>fer-cam</h1><span id="cam">connecting…</span></header>
    <main>
    <figure id="video"><img id="live" src="stream.mjpg{{Q_ATTR}}" alt="live overlay stream"></figure>
    <aside>
    <section><h2>Faces in view</h2><div id="faces"><p class="none">none</p></div></section>
    <section><h2>Latest events</h2><ul id="events"></ul></section>
    </aside>
    </main>
    <script>
    "use strict";
    const Q = {{Q_JS}};
    const MAX_EVENTS = 50;
    const $ = (id) => document.getElementById(id);
    function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
    function pct(p) { return (100 * (Number(p) || 0)).toFixed(0) + "%"; }
    function pick(o, keys) { for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k]; return undefined; }

    function showFaces(msg) {
      const box = $("faces"); box.replaceChildren();
      const faces = msg.faces || [], labels = msg.labels || [];
      if (!faces.length) { box.append(el("p", "none", "none")); return; }
      for (const f of faces) {
        const d = el("div", "face");
        const title = el("div"); title.append(el("b", null, "#" + f.track_id + " " + f.emotion), " " + pct(f.score));
        d.append(title);
        labels.forEach((name, i) => {
          const p = (f.probabilities || [])[i] || 0;
          const row = el("div", "bar" + (name === f.emotion ? " top" : ""));
          const track = el("i"), fill = el("s"); fill.style.width = pct(p); track.append(fill);
          row.append(el("span", null, name), track, el("span", null, pct(p)));
          d.append(row);
        });
        box.append(d);
      }
    }

    function showEvent(e) {
      const time = String(pick(e, ["time", "timestamp"]) || "").replace(/^.*T/, "").replace(/Z$/, "");
      const kind = pick(e, ["event", "type"]) || "event";
      const track = pick(e, ["track_id", "track", "id"]);
      const emo = pick(e, ["emotion", "top_emotion", "label"]);
      const score = pick(e, ["score", "top_score", "confidence"]);
      let text = time + " " + kind + (track !== undefined ? " #" + track : "");
      if (emo !== undefined) text += " " + emo + (score !== undefined ? " " + pct(score) : "");
      const li = el("li", null, text.trim()); li.title = JSON.stringify(e);
      const list = $("events"); list.prepend(li);
      while (list.children.length > MAX_EVENTS) list.lastChild.remove();
    }

    function showCamera(c) {
      const cam = $("cam"); cam.className = c.state;
      cam.textContent = "camera " + c.state + (c.reason ? ": " + c.reason : "");
      if (c.state === "streaming" && $("live").naturalWidth === 0) $("live").src = "stream.mjpg" + Q + (Q ? "&" : "?") + "r=" + Date.now();
    }

    const source = new EventSource("events" + Q);
    source.onmessage = (m) => { try { showEvent(JSON.parse(m.data)); } catch (err) { console.warn("bad event", err); } };
    source.addEventListener("faces", (m) => showFaces(JSON.parse(m.data)));
    source.addEventListener("camera", (m) => showCamera(JSON.parse(m.data)));
    source.onerror = () => { $("cam").className = "lost"; $("cam").textContent = "disconnected, retrying…"; };
    </script>
    </body>
    </html>
    """#
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
