// The crowd-mood page: streams, each with its latest frame (faces boxed, labelled by the expression
// read or, until read, the detector's score), its crowd size and expression shares over time (with
// 95% confidence bands; low-sample intervals shaded), and the Rekognition calls spent. Data comes
// from this page's own server; updates by server-sent events.
"use strict";

const EMOTIONS = ["HAPPY", "CALM", "SAD", "ANGRY", "SURPRISED", "FEAR", "DISGUSTED", "CONFUSED"];
const COLOURS = { HAPPY: "#e6a100", CALM: "#2a9d8f", SAD: "#3a6ea5", ANGRY: "#d62828", SURPRISED: "#9b5de5", FEAR: "#6d6875", DISGUSTED: "#588157", CONFUSED: "#bc6c25" };
const state = { streams: new Map() };
window.crowdPage = state;

const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
    children.forEach((child) => node.append(child));
    return node;
};
const getJson = async (url) => {
    const response = await fetch(url);
    if (!response.ok) {
        throw new Error(`${url}: ${response.status}`);
    }
    return response.json();
};

/** Shades the intervals read from too few faces for a share known to ±5 points. */
function lowSampleShading(lowSample) {
    return {
        hooks: {
            drawClear: [(u) => {
                const ctx = u.ctx;
                ctx.save();
                ctx.fillStyle = "rgba(0, 0, 0, 0.06)";
                u.data[0].forEach((x, i) => {
                    if (!lowSample[i]) {
                        return;
                    }
                    const next = u.data[0][i + 1] ?? x + (u.data[0][1] - u.data[0][0] || 10);
                    const left = u.valToPos(x, "x", true);
                    const right = u.valToPos(next, "x", true);
                    ctx.fillRect(left, u.bbox.top, Math.max(1, right - left), u.bbox.height);
                });
                ctx.restore();
            }],
        },
    };
}

// Times in UTC, as the frames' capture times are stamped and shown: a camera's clock and the
// viewer's browser need not share a zone.
const inUtc = (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC");

// uPlot widens a time axis with a single point by 86,400 of its units (seconds here: years);
// a single interval gets a minute either side instead.
const timeRange = (u, min, max) => (u.data[0].length === 1 ? [u.data[0][0] - 60, u.data[0][0] + 60] : [min, max]);

/** A chart over time: its x scale in UTC for every chart; `scales` adds the others (y). */
function chartOptions(title, width, series, { scales = {}, ...extra } = {}) {
    return {
        title, width, height: 200, tzDate: inUtc, scales: { x: { time: true, range: timeRange }, ...scales },
        axes: [{ label: "UTC" }, {}], series: [{}, ...series], legend: { live: false }, ...extra,
    };
}

function crowdChart(target, series) {
    const xs = series.map((s) => Date.parse(s.start) / 1000);
    const data = [xs, series.map((s) => s.facesSeen.mean), series.map((s) => s.facesSeen.max)];
    const opts = chartOptions("Crowd size (faces per frame)", 480, [
        { label: "mean", stroke: "#1d2733", width: 2, points: { show: true } },
        { label: "max", stroke: "#999", dash: [4, 4], points: { show: true } },
    ]);
    return new uPlot(opts, data, target);
}

function sharesChart(target, series) {
    const xs = series.map((s) => Date.parse(s.start) / 1000);
    const data = [xs];
    const lines = [];
    const bands = [];
    const read = series.some((s) => s.facesRead > 0);
    // Each expression: its share, and its band (high and low, drawn as a fill between them).
    EMOTIONS.forEach((emotion) => {
        const at = data.length;
        data.push(series.map((s) => (s.facesRead > 0 ? s.shares[emotion].share * 100 : null)));
        data.push(series.map((s) => (s.facesRead > 0 ? s.shares[emotion].high * 100 : null)));
        data.push(series.map((s) => (s.facesRead > 0 ? s.shares[emotion].low * 100 : null)));
        lines.push({ label: emotion.toLowerCase(), stroke: COLOURS[emotion], width: 2, points: { show: true } });
        lines.push({ label: `${emotion.toLowerCase()} high`, stroke: "transparent", points: { show: false } });
        lines.push({ label: `${emotion.toLowerCase()} low`, stroke: "transparent", points: { show: false } });
        bands.push({ series: [at + 1, at + 2], fill: `${COLOURS[emotion]}22` });
    });
    const opts = chartOptions(read ? "Expressions (% of faces read; band: 95% confidence; shaded: few faces)" : "Expressions: no face read yet", 560, lines,
        { bands, legend: { show: false }, scales: { y: { range: [0, 100] } }, plugins: [lowSampleShading(series.map((s) => s.lowSample))] });
    const chart = new uPlot(opts, data, target);
    // A legend of the expressions alone (uPlot's would list each band's edges too).
    target.append(el("p", { class: "legend" }, ...EMOTIONS.map((emotion) => {
        const latest = series.at(-1)?.facesRead > 0 ? ` ${Math.round(series.at(-1).shares[emotion].share * 100)}%` : "";
        const swatch = el("i");
        // Through the CSSOM: the page's Content-Security-Policy allows no inline style attribute.
        swatch.style.background = COLOURS[emotion];
        return el("span", { class: "key" }, swatch, `${emotion.toLowerCase()}${latest}`);
    })));
    return chart;
}

async function drawFrame(canvas, stream, frame) {
    const image = new Image();
    image.src = `/api/frame?stream=${encodeURIComponent(stream)}&frame=${encodeURIComponent(frame.frameId)}`;
    await image.decode();
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(image, 0, 0);
    const line = Math.max(2, Math.round(canvas.width / 400));
    ctx.lineWidth = line;
    ctx.font = `${line * 8}px system-ui, sans-serif`;
    frame.faces.forEach((face) => {
        const colour = face.emotion ? COLOURS[face.emotion] : "#00c853";
        const label = face.emotion ? face.emotion.toLowerCase() : face.score.toFixed(2);
        ctx.strokeStyle = colour;
        ctx.strokeRect(face.box.x, face.box.y, face.box.width, face.box.height);
        const width = ctx.measureText(label).width + line * 2;
        ctx.fillStyle = colour;
        ctx.fillRect(face.box.x, face.box.y - line * 10, width, line * 10);
        ctx.fillStyle = "#fff";
        ctx.fillText(label, face.box.x + line, face.box.y - line * 2);
    });
    canvas.dataset.boxes = String(frame.faces.length);
    canvas.setAttribute("aria-label", frameDescription(frame));
}

/** The frame in words, for those who do not see the canvas: its faces and their expressions. */
function frameDescription(frame) {
    const counts = new Map();
    frame.faces.forEach((face) => counts.set(face.emotion, (counts.get(face.emotion) ?? 0) + 1));
    const read = EMOTIONS.filter((e) => counts.has(e)).map((e) => `${counts.get(e)} ${e.toLowerCase()}`);
    const unread = counts.get(undefined) ?? 0;
    return `Frame ${frame.frameId}: ${frame.faces.length} faces boxed`
        + (read.length > 0 ? `; expressions read: ${read.join(", ")}` : "")
        + (unread > 0 ? `; ${unread} not read, labelled with the detector's score` : "");
}

const percent = (value) => `${Math.round(value * 100)}%`;
const utcTime = (iso) => iso.replace("T", " ").replace(/\.\d+Z$/, "").replace(/Z$/, "");

/** Every interval of the charts as a table: the figures without the colours, and keyboard-readable. */
function seriesTable(series) {
    const head = el("tr", {}, ...["Interval from (UTC)", "Frames", "Crowd (mean, max)", "Faces read", ...EMOTIONS.map((e) => e.toLowerCase()), "Sample"].map((text) => el("th", { scope: "col" }, text)));
    const rows = series.map((s) => el("tr", {},
        el("th", { scope: "row" }, utcTime(s.start)),
        el("td", {}, String(s.frames ?? "")),
        el("td", {}, `${s.facesSeen.mean}, ${s.facesSeen.max}`),
        el("td", {}, String(s.facesRead)),
        ...EMOTIONS.map((e) => el("td", {}, s.facesRead > 0 ? `${percent(s.shares[e].share)} (${percent(s.shares[e].low)}–${percent(s.shares[e].high)})` : "–")),
        el("td", {}, s.lowSample ? "few faces" : "")));
    return el("table", {}, el("caption", {}, "Shares of faces read, with their 95% confidence interval"), el("thead", {}, head), el("tbody", {}, ...rows));
}

function viewOf(stream) {
    let view = state.streams.get(stream);
    if (view !== undefined) {
        return view;
    }
    const section = el("section", { "class": "stream", "id": `stream-${stream}`, "data-stream": stream });
    const title = el("h2", {}, stream);
    const meta = el("p", { class: "meta" });
    const canvas = el("canvas", { class: "frame", "data-testid": `frame-${stream}`, role: "img", "aria-label": "No frame yet" });
    const sheets = el("p", { class: "sheets" });
    const crowd = el("div", { "data-testid": `crowd-${stream}` });
    const shares = el("div", { "data-testid": `shares-${stream}` });
    // Kept across refreshes, so that a table a reader opened stays open.
    const table = el("details", { "data-testid": `table-${stream}` }, el("summary", {}, "The intervals as a table"));
    section.append(title, meta, el("div", { class: "row" }, el("div", {}, canvas, sheets), crowd, shares), table);
    document.getElementById("views").append(section);
    view = { section, meta, canvas, sheets, crowd, shares, table, frameId: undefined, charts: {} };
    state.streams.set(stream, view);
    return view;
}

async function refreshStream(stream) {
    const data = await getJson(`/api/stream?stream=${encodeURIComponent(stream)}`);
    const view = viewOf(stream);
    if (data.frame) {
        const read = data.frame.faces.filter((f) => f.emotion).length;
        view.meta.textContent = `Frame ${data.frame.frameId}, captured ${data.frame.capturedAt}: ${data.frame.faces.length} faces, ${read} expressions read`;
        const key = `${data.frame.frameId} ${read}`;
        if (view.frameId !== key) {
            view.frameId = key;
            await drawFrame(view.canvas, stream, data.frame);
            view.canvas.hidden = false;
            view.sheets.replaceChildren("Face sheets: ", ...data.frame.sheets.map((sheet, i) =>
                el("a", { href: `/api/sheet?stream=${encodeURIComponent(stream)}&key=${encodeURIComponent(sheet.key)}`, target: "_blank", rel: "noopener" }, `sheet ${i} (${sheet.faces} faces)`)));
        }
    } else {
        view.meta.textContent = "No frame of this stream here yet: frames show from npm start and from npm run watch -- … --local; its series come from the table.";
        // No empty box where the frame would be.
        view.canvas.hidden = true;
    }
    view.charts.crowd?.destroy();
    view.charts.shares?.destroy();
    view.crowd.replaceChildren();
    view.shares.replaceChildren();
    view.charts.crowd = crowdChart(view.crowd, data.series);
    view.charts.shares = sharesChart(view.shares, data.series);
    const latest = data.series.at(-1);
    view.crowd.setAttribute("role", "img");
    view.crowd.setAttribute("aria-label", latest ? `Crowd size over ${data.series.length} intervals; the latest: ${latest.facesSeen.mean} faces per frame, at most ${latest.facesSeen.max}` : "No interval yet");
    view.shares.setAttribute("role", "img");
    view.shares.setAttribute("aria-label", latest?.facesRead > 0
        ? `Expressions over ${data.series.length} intervals; the latest, of ${latest.facesRead} faces read: ${EMOTIONS.map((e) => `${e.toLowerCase()} ${percent(latest.shares[e].share)}`).join(", ")}`
        : "No expression read yet");
    view.table.querySelector("table")?.remove();
    view.table.append(seriesTable(data.series));
    view.points = data.series.length;
    view.section.dataset.points = String(data.series.length);
}

async function refresh(only) {
    const data = await getJson("/api/streams");
    document.getElementById("calls").textContent = data.calls === undefined ? "Rekognition calls: –" : `Rekognition calls: ${data.calls}`;
    document.getElementById("calls").dataset.calls = String(data.calls ?? "");
    document.getElementById("caveat").textContent = data.caveat;
    const list = document.getElementById("streams");
    list.replaceChildren(...data.streams.map((stream) => el("li", {}, el("a", { href: `#stream-${stream}` }, stream))));
    for (const stream of only ? [only] : data.streams) {
        await refreshStream(stream).catch((error) => console.error(error));
    }
}

refresh().catch((error) => console.error(error));
const events = new EventSource("/api/events");
events.addEventListener("frame", (event) => refresh(JSON.parse(event.data).stream).catch((error) => console.error(error)));
events.addEventListener("tick", () => refresh().catch((error) => console.error(error)));
