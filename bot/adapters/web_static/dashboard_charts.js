/* Hand-written SVG charts for the dashboard: grouped bars and a line with gaps. Built with DOM
 * APIs only (createElementNS, setAttribute, textContent): no library, no CDN, no inline styles
 * (colours come from classes in dashboard.css). Each chart is an <svg role="img"> with a
 * <title> and a <desc> summary, and every bar or point carries its own <title>.
 */
import { element } from "./common.js";

const NS = "http://www.w3.org/2000/svg";
const W = 560;
const H = 240;
const PAD = { left: 48, right: 12, top: 14, bottom: 34 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;
const MAX_X_LABELS = 10;

function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round step for about four grid lines up to `max`. */
function niceStep(max) {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** {top, ticks} of the y axis for values up to `max` (at least 1). */
function yScale(max, whole) {
  const step = Math.max(whole ? 1 : 0, niceStep(Math.max(max, whole ? 4 : 1)));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toPrecision(6)));
  return { top, ticks };
}

const yOf = (value, top) => PAD.top + PLOT_H - (value / top) * PLOT_H;

/** Empty the figure and give it a caption (with an optional legend) and an accessible svg. */
function frame(figure, { id, title, desc, legend = [] }) {
  figure.replaceChildren();
  const caption = element("figcaption", "chart__caption");
  caption.appendChild(element("span", "chart__title", title));
  for (const item of legend) {
    const key = element("span", "chart__key");
    key.appendChild(element("span", "chart__swatch chart__swatch--" + item.className));
    key.appendChild(document.createTextNode(item.name));
    caption.appendChild(key);
  }
  figure.appendChild(caption);
  const svg = svgEl("svg", {
    viewBox: `0 0 ${W} ${H}`,
    role: "img",
    class: "chart__svg",
    "aria-labelledby": `${id}-title ${id}-desc`,
  });
  svg.appendChild(svgEl("title", { id: `${id}-title` }, title));
  svg.appendChild(svgEl("desc", { id: `${id}-desc` }, desc));
  figure.appendChild(svg);
  return svg;
}

function yAxis(svg, scale, format) {
  for (const tick of scale.ticks) {
    const y = yOf(tick, scale.top);
    svg.appendChild(svgEl("line", { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: "chart__grid" }));
    svg.appendChild(svgEl("text", { x: PAD.left - 6, y: y + 4, class: "chart__tick chart__tick--y" }, format(tick)));
  }
}

function xAxis(svg, labels, centre) {
  const every = Math.ceil(labels.length / MAX_X_LABELS);
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    svg.appendChild(svgEl("text", { x: centre(i), y: H - PAD.bottom + 18, class: "chart__tick chart__tick--x" }, label));
  });
}

function noData(svg, hasData) {
  if (!hasData) svg.appendChild(svgEl("text", { x: W / 2, y: H / 2, class: "chart__empty" }, "No data in this period"));
}

/**
 * Grouped bars: `series` is [{name, className, values}] over `labels` (each value a number).
 * `format(value)` labels the axis and titles; `long[i]` is the full label for titles.
 */
export function barChart(figure, { id, title, desc, labels, long = labels, series, format = String }) {
  const legend = series.length > 1 ? series : [];
  const svg = frame(figure, { id, title, desc, legend });
  const all = series.flatMap((s) => s.values).filter((v) => typeof v === "number");
  const scale = yScale(Math.max(0, ...all), true);
  yAxis(svg, scale, format);
  const group = PLOT_W / Math.max(1, labels.length);
  const bar = (group * 0.76) / series.length;
  const centre = (i) => PAD.left + group * i + group / 2;
  series.forEach((s, k) => {
    s.values.forEach((value, i) => {
      const v = typeof value === "number" ? value : 0;
      const y = yOf(v, scale.top);
      const x = PAD.left + group * i + group * 0.12 + bar * k;
      const rect = svgEl("rect", { x, y, width: Math.max(1, bar - 2), height: PAD.top + PLOT_H - y, class: "chart__bar chart__bar--" + s.className });
      rect.appendChild(svgEl("title", {}, `${long[i]}: ${format(v)} ${s.name.toLowerCase()}`));
      svg.appendChild(rect);
    });
  });
  xAxis(svg, labels, centre);
  noData(svg, all.some((v) => v > 0));
}

/** A line over `labels`; a null value (no data that day) breaks the line. */
export function lineChart(figure, { id, title, desc, labels, long = labels, values, name, format = String }) {
  const svg = frame(figure, { id, title, desc });
  const present = values.filter((v) => typeof v === "number");
  const scale = yScale(Math.max(0, ...present), false);
  yAxis(svg, scale, format);
  const step = PLOT_W / Math.max(1, labels.length);
  const centre = (i) => PAD.left + step * i + step / 2;
  let d = "";
  let drawing = false;
  values.forEach((value, i) => {
    if (typeof value !== "number") {
      drawing = false;
      return;
    }
    d += `${drawing ? "L" : "M"}${centre(i).toFixed(1)} ${yOf(value, scale.top).toFixed(1)} `;
    drawing = true;
  });
  if (d) svg.appendChild(svgEl("path", { d: d.trim(), class: "chart__line" }));
  values.forEach((value, i) => {
    if (typeof value !== "number") return;
    const dot = svgEl("circle", { cx: centre(i), cy: yOf(value, scale.top), r: 3.5, class: "chart__dot" });
    dot.appendChild(svgEl("title", {}, `${long[i]}: ${name} ${format(value)}`));
    svg.appendChild(dot);
  });
  xAxis(svg, labels, centre);
  noData(svg, present.length > 0);
}
