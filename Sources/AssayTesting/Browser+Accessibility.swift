import AssayCore
import Foundation

extension Browser {
    /// The page's accessibility problems, as an automated check can find them (no tool for it is packaged here,
    /// so the rules are WCAG 2.1's, checked in the page):
    ///
    /// - the document has a language (3.1.1) and one `h1`;
    /// - every form control and button has an accessible name: a `<label for>`, an enclosing label,
    ///   `aria-label`, `aria-labelledby` or text (4.1.2, 1.3.1); hidden inputs excepted;
    /// - every image has `alt`; every SVG drawn as an image (`role="img"`) has a title it is labelled by (1.1.1);
    /// - every visible piece of text outside SVG has a contrast ratio of at least 4.5:1 with the background it
    ///   sits on, 3:1 for large text (24 px, or 18.66 px bold) (1.4.3). The background is the first opaque one
    ///   among the element and its ancestors (white if none).
    ///
    /// - Returns: One line per problem, naming the element; empty for a page that passes.
    public func accessibilityProblems() async throws -> [String] {
        let found = try await script(#"""
            const problems = [];
            const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
              (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
              " \"" + (el.textContent || "").trim().slice(0, 40) + "\"";
            if (!document.documentElement.lang) problems.push("the document has no lang");
            if (document.querySelectorAll("h1").length !== 1) problems.push("the page has " + document.querySelectorAll("h1").length + " h1");
            const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
              return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && !el.closest("[hidden]"); };
            for (const el of document.querySelectorAll("input, select, textarea, button")) {
              if (el.type === "hidden" || !visible(el)) continue;
              const labelled = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") ||
                (el.id && document.querySelector("label[for='" + el.id + "']")) || el.closest("label") ||
                ((el.tagName === "BUTTON") && el.textContent.trim()) || el.getAttribute("title");
              if (!labelled) problems.push("no accessible name: " + describe(el));
            }
            for (const img of document.querySelectorAll("img")) if (!img.hasAttribute("alt")) problems.push("image without alt: " + img.src);
            for (const svg of document.querySelectorAll("svg[role=img]")) {
              const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
              if (!ids.some((id) => document.getElementById(id) && document.getElementById(id).textContent.trim())) problems.push("chart without a title: " + describe(svg));
            }
            const rgba = (text) => { const m = text.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
              const p = m[1].split(",").map((v) => parseFloat(v)); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
            const luminance = ([r, g, b]) => { const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
              return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
            const background = (el) => { for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
                const color = rgba(getComputedStyle(node).backgroundColor); if (color[3] >= 0.99) return color; }
              return [255, 255, 255, 1]; };
            for (const el of document.body.querySelectorAll("*")) {
              if (el.closest("svg") || !visible(el)) continue;
              const text = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
              if (!text) continue;
              const style = getComputedStyle(el);
              const fg = rgba(style.color); const bg = background(el);
              const blended = fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
              const [hi, lo] = [luminance(blended), luminance(bg)].sort((a, b) => b - a);
              const ratio = (hi + 0.05) / (lo + 0.05);
              const size = parseFloat(style.fontSize); const bold = parseInt(style.fontWeight, 10) >= 700;
              const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
              if (ratio < needed) problems.push("contrast " + ratio.toFixed(2) + " < " + needed + ": " + describe(el));
            }
            return problems;
            """#)
        return found.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
