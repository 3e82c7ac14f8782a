// The organisation as nested circles (circle packing, d3-hierarchy). Circles zoom in when chosen,
// roles open their page. Every shape is a link, so the chart works with a keyboard; Esc zooms out.
(function () {
  "use strict";
  const svg = document.getElementById("chart");
  const source = document.getElementById("chart-data");
  if (!svg || !source || !window.d3) return;
  const data = JSON.parse(source.textContent);
  if (!data) return;
  const NS = "http://www.w3.org/2000/svg";
  const size = 1000;
  const root = d3.pack().size([size, size]).padding(14)(
    d3.hierarchy(data, d => d.children).sum(d => (d.children && d.children.length ? 0 : 1))
      .sort((a, b) => b.value - a.value));
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");

  const zoomOut = document.getElementById("zoom-out");
  const focusText = document.getElementById("chart-focus");
  let focus = root;
  const labels = [];
  const shapes = element("g", {}, svg);
  const names = element("g", { "aria-hidden": "true" }, svg);

  function element(name, attributes, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    parent.appendChild(e);
    return e;
  }

  for (const node of root.descendants()) {
    const isCircle = node.data.circle;
    const title = (node.data.fillers ? `${node.data.name}: ${node.data.fillers}` : node.data.name) + (isCircle ? " (circle)" : "");
    const link = element("a", { href: node.data.href, class: isCircle ? "node circle" : "node role", "aria-label": title }, shapes);
    element("title", {}, link).textContent = title;
    element("circle", { cx: node.x, cy: node.y, r: node.r, class: `depth-${Math.min(node.depth, 4)}` }, link);
    // Names over every shape (a circle's would hide under its roles otherwise); the shapes are the links.
    const label = element("text", { x: node.x, y: node.y, "text-anchor": "middle", class: isCircle ? "label circle-label" : "label" }, names);
    const name = element("tspan", { x: node.x }, label);
    name.textContent = node.data.name;
    if (!isCircle && node.data.fillers) {
      const who = element("tspan", { x: node.x, dy: "1.2em", class: "who" }, label);
      who.textContent = node.data.fillers;
    }
    labels.push({ node, label, name });
    if (isCircle) {
      link.addEventListener("click", event => {
        if (focus === node && node !== root) return; // a second choice opens the circle's page
        event.preventDefault();
        zoomTo(node);
      });
    }
  }

  function zoomTo(node) {
    focus = node;
    const r = node.r * 1.05;
    svg.setAttribute("viewBox", `${node.x - r} ${node.y - r} ${2 * r} ${2 * r}`);
    // Pixels per unit of the drawing at this zoom: labels are sized and shown in screen pixels.
    const scale = (svg.getBoundingClientRect().width || size) / (2 * r);
    for (const { node: n, label, name } of labels) {
      // A label shows where it fits at this zoom: a circle's name at its top edge, a role's at its centre.
      const onScreen = n.r * scale;
      const inside = n === node || n.ancestors().includes(node);
      const visible = inside && (n.data.circle ? onScreen > 60 && n !== root : onScreen > 30);
      label.style.display = visible ? "" : "none";
      const font = n.data.circle ? 13 : 12;
      label.setAttribute("font-size", `${font / scale}px`);
      // As many characters as fit across the shape (about 0.58 em each), the rest elided.
      const fits = Math.max(3, Math.floor((2 * onScreen * (n.data.circle ? 0.7 : 0.9)) / (font * 0.58)));
      name.textContent = n.data.name.length > fits ? n.data.name.slice(0, fits - 1) + "…" : n.data.name;
      if (n.data.circle) label.setAttribute("y", n.y - n.r + 18 / scale);
      for (const who of label.querySelectorAll("tspan")) who.setAttribute("dy", "1.2em");
    }
    zoomOut.hidden = node === root;
    focusText.textContent = node === root ? "" : `Showing ${node.data.name}`;
  }

  zoomOut.addEventListener("click", () => zoomTo(focus.parent || root));
  document.addEventListener("keydown", event => {
    if (event.key === "Escape" && focus !== root) zoomTo(focus.parent || root);
  });
  zoomTo(root);
  window.addEventListener("resize", () => zoomTo(focus));
})();
