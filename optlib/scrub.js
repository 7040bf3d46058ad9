// optlib's slider figures (optlib/scrub.py), drawn without a kernel. Python ran every grid
// point with optlib.minimize and embedded the paths as float32; this script only picks the
// run that the sliders point at and draws it. It computes no step of any optimizer.
var optlibScrub = window.optlibScrub || (function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const MARGIN = {left: 54, right: 12, top: 22, bottom: 44};
  const STYLE = `
.optlib-scrub { margin: 1em 0; --optlib-scrub-run: #0072B2; }
/* the book's dark theme shows outputs on a light panel (pydata-sphinx-theme), JupyterLab's
   dark theme on a dark one: there the run is sky blue. Text is always currentColor. */
body[data-jp-theme-light="false"] .optlib-scrub { --optlib-scrub-run: #56B4E9; }
.optlib-scrub .optlib-scrub-panels { display: flex; flex-wrap: wrap; gap: 8px; }
.optlib-scrub svg { max-width: 100%; height: auto; overflow: visible; }
.optlib-scrub text { fill: currentColor; font-size: 12px; font-family: inherit; }
.optlib-scrub .frame { fill: none; stroke: currentColor; stroke-opacity: 0.6; }
.optlib-scrub .tick { stroke: currentColor; stroke-opacity: 0.6; }
.optlib-scrub .run { fill: none; stroke: var(--optlib-scrub-run); stroke-width: 1.8;
  vector-effect: non-scaling-stroke; stroke-linejoin: round; }
.optlib-scrub .start { fill: none; stroke: var(--optlib-scrub-run); stroke-width: 1.5; }
.optlib-scrub .end { fill: var(--optlib-scrub-run); stroke: currentColor; stroke-width: 0.8; }
.optlib-scrub .here { fill: none; stroke: #D55E00; stroke-width: 2.5; }
.optlib-scrub .optlib-scrub-control { display: flex; align-items: center; gap: 0.6em;
  margin: 0.3em 0; }
.optlib-scrub input[type=range] { flex: 0 1 260px; accent-color: var(--optlib-scrub-run); }
.optlib-scrub .optlib-scrub-control label { min-width: 9em; }
.optlib-scrub output { font-variant-numeric: tabular-nums; min-width: 4em; }
.optlib-scrub .optlib-scrub-status { margin: 0.3em 0 0; }
.optlib-scrub figcaption { margin-top: 0.5em; font-size: 0.9em; color: inherit;
  text-align: left; }`;

  function element(name, attributes, parent, text) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function decode(text) {  // little-endian float32, as optlib.scrub.encode wrote it
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const view = new DataView(bytes.buffer), out = new Float32Array(bytes.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  // One panel: an optional image, axes with the ticks Python chose, and a group whose
  // coordinates are the data's own, so that a path's "d" holds the embedded numbers.
  function panel(parent, spec, width, height, name) {
    const svg = element("svg", {viewBox: `0 0 ${MARGIN.left + width + MARGIN.right} ` +
      `${MARGIN.top + height + MARGIN.bottom}`, width: MARGIN.left + width + MARGIN.right,
      role: "img", "aria-label": name, class: "optlib-scrub-" + spec.kind}, parent);
    const [x0, x1] = spec.x, [y0, y1] = spec.y;
    const sx = width / (x1 - x0), sy = height / (y1 - y0);
    const pixel = (x, y) => [MARGIN.left + (x - x0) * sx, MARGIN.top + (y1 - y) * sy];
    if (spec.src) element("image", {href: spec.src, x: MARGIN.left, y: MARGIN.top, width,
                                    height, preserveAspectRatio: "none"}, svg);
    element("rect", {class: "frame", x: MARGIN.left, y: MARGIN.top, width, height}, svg);
    for (const [value, label] of spec.xticks) {
      const [px] = pixel(value, y0), bottom = MARGIN.top + height;
      element("line", {class: "tick", x1: px, x2: px, y1: bottom, y2: bottom + 4}, svg);
      element("text", {x: px, y: bottom + 17, "text-anchor": "middle"}, svg, label);
    }
    for (const [value, label] of spec.yticks) {
      const [, py] = pixel(x0, value);
      element("line", {class: "tick", x1: MARGIN.left - 4, x2: MARGIN.left, y1: py, y2: py}, svg);
      element("text", {x: MARGIN.left - 6, y: py + 4, "text-anchor": "end"}, svg, label);
    }
    element("text", {x: MARGIN.left + width / 2, y: MARGIN.top + height + 36,
                     "text-anchor": "middle"}, svg, spec.xlabel);
    element("text", {transform: `translate(14 ${MARGIN.top + height / 2}) rotate(-90)`,
                     "text-anchor": "middle"}, svg, spec.ylabel);
    element("text", {x: MARGIN.left + width / 2, y: 14, "text-anchor": "middle"}, svg, name);
    const clipId = `${parent.closest(".optlib-scrub").id}-clip-${spec.kind}`;
    element("rect", {x: x0, y: y0, width: x1 - x0, height: y1 - y0},
            element("clipPath", {id: clipId}, element("defs", {}, svg)));
    const clipped = element("g", {}, svg);
    const data = element("g", {transform: `matrix(${sx} 0 0 ${-sy} ${MARGIN.left - x0 * sx} ` +
                                          `${MARGIN.top + y1 * sy})`}, clipped);
    data.setAttribute("clip-path", `url(#${clipId})`);
    return {svg, data, pixel, marks: element("g", {}, svg)};
  }

  function pathData(xs, ys) {  // "M x y L x y ...", a break at every missing point
    let d = "", pen = "M";
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) { pen = "M"; continue; }
      d += `${pen}${xs[i]} ${ys[i]} `;
      pen = "L";
    }
    return d.trim();
  }

  function slider(parent, param, id, onInput) {
    const row = document.createElement("div");
    row.className = "optlib-scrub-control";
    const label = Object.assign(document.createElement("label"),
                                {htmlFor: id, textContent: param.label});
    const input = Object.assign(document.createElement("input"), {
      type: "range", id, min: 0, max: param.values.length - 1, step: 1,
      value: param.initial});
    const output = document.createElement("output");
    output.htmlFor = id;
    const show = () => {
      output.textContent = param.texts[input.value];
      input.setAttribute("aria-valuetext", `${param.label} = ${param.texts[input.value]}`);
    };
    input.addEventListener("input", () => { show(); onInput(); });
    show();
    row.append(label, input, output);
    parent.appendChild(row);
    return input;
  }

  function start(figureId) {
    const root = document.getElementById(figureId);
    if (!root || root.dataset.started) return;
    root.dataset.started = "yes";
    if (!document.getElementById("optlib-scrub-style")) {
      document.head.appendChild(Object.assign(document.createElement("style"),
                                              {id: "optlib-scrub-style", textContent: STYLE}));
    }
    const spec = JSON.parse(root.querySelector("script.optlib-scrub-data").textContent);
    const paths = decode(spec.paths), losses = decode(spec.loss.values);
    const points = spec.steps + 1, lowest = 10 ** spec.loss.y[0];  // a gap of 0: the bottom
    const body = root.querySelector(".optlib-scrub-body");
    const panels = Object.assign(document.createElement("div"),
                                 {className: "optlib-scrub-panels"});
    body.appendChild(panels);
    const width = 256;
    const contour = panel(panels, {kind: "contour", ...spec.contour}, width,
                          spec.contour.height, spec.title);
    const loss = panel(panels, {kind: "loss", ...spec.loss}, width, 170,
                       "loss gap against step (log scale)");
    const heat = spec.heat && panel(panels, {kind: "heat", ...spec.heat}, width,
                                    spec.heat.height, spec.heat.label);
    const runPath = element("path", {class: "run"}, contour.data);
    const lossPath = element("path", {class: "run"}, loss.data);
    const inputs = spec.params.map((param, i) =>
      slider(body, param, `${figureId}-${param.name}`, draw));
    const status = Object.assign(document.createElement("p"),
                                 {className: "optlib-scrub-status"});
    status.setAttribute("aria-live", "polite");
    body.appendChild(status);

    function draw() {
      const at = inputs.map((input) => Number(input.value));
      const index = at.reduce((flat, i, k) => flat * spec.params[k].values.length + i, 0);
      const run = paths.subarray(index * points * 2, (index + 1) * points * 2);
      const xs = [], ys = [], steps = [], logGap = [];
      for (let t = 0; t < points; t++) {
        xs.push(run[2 * t]); ys.push(run[2 * t + 1]);
        steps.push(t);
        logGap.push(Math.log10(Math.max(losses[index * points + t], lowest)));
      }
      runPath.setAttribute("d", pathData(xs, ys));
      lossPath.setAttribute("d", pathData(steps, logGap));
      root.dataset.index = index;
      contour.marks.replaceChildren();
      const last = xs.reduce((found, x, t) => (Number.isFinite(x) ? t : found), 0);
      const [sx, sy] = contour.pixel(xs[0], ys[0]), [ex, ey] = contour.pixel(xs[last], ys[last]);
      element("circle", {class: "start", cx: sx, cy: sy, r: 4}, contour.marks);
      element("circle", {class: "end", cx: ex, cy: ey, r: 3.5}, contour.marks);
      const words = spec.params.map((p, k) => `${p.label} = ${p.texts[at[k]]}`);
      const diverged = spec.divergedAt[index];
      const final = losses[index * points + spec.steps];
      words.push(diverged >= 0 ? `diverged at step ${diverged}` :
                 `loss gap after ${spec.steps} steps: ${final.toExponential(2)}`);
      if (heat) {
        heat.marks.replaceChildren();
        const [hx, hy] = heat.pixel(spec.params[0].values[at[0]], spec.params[1].values[at[1]]);
        element("circle", {class: "here", cx: hx, cy: hy, r: 6}, heat.marks);
        words.push(`${spec.heat.label}: ${spec.heat.atPoints[index]}`);
      }
      status.textContent = words.join("; ");
    }
    draw();
  }

  return {start, decode};
})();
window.optlibScrub = optlibScrub;
