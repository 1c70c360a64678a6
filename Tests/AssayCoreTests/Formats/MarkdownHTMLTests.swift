import AssayCore
import Testing

@Suite("Guideline Markdown as HTML")
struct MarkdownHTMLTests {
    @Test("paragraphs reflow, lists, headings and inline marks render")
    func subset() {
        #expect(MarkdownHTML.render("Scams **always** count.\n\n- fake prizes\n- phishing")
                == "<p>Scams <strong>always</strong> count.</p><ul><li>fake prizes</li><li>phishing</li></ul>")
        #expect(MarkdownHTML.render("When two\nlabels fit, choose\nthe *more severe* one.")
                == "<p>When two labels fit, choose the <em>more severe</em> one.</p>")
        #expect(MarkdownHTML.render("## Spam\n1. ads\n2. scams\n   and phishing\nThen `none`.")
                == "<h4>Spam</h4><ol><li>ads</li><li>scams and phishing</li></ol><p>Then <code>none</code>.</p>")
        #expect(MarkdownHTML.render("See [the policy](https://example.com/p?a=1&b=2) or [this](javascript:alert(1)).")
                == #"<p>See <a href="https://example.com/p?a=1&amp;b=2" rel="noopener noreferrer">the policy</a> or [this](javascript:alert(1)).</p>"#)
    }

    @Test("everything the source holds is text: no tag gets through, marks inside code stay")
    func escaped() {
        #expect(MarkdownHTML.render("<script>alert('x')</script> & \"q\"")
                == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</p>")
        #expect(MarkdownHTML.render("`<b>**not bold**</b>`") == "<p><code>&lt;b&gt;**not bold**&lt;/b&gt;</code></p>")
        #expect(!MarkdownHTML.render(#"[x](https://a.example/"onmouseover="alert(1))"#).contains("<a "),
                "an address holding a quote is no link")
        // A quote carrying a combining mark, or a variation selector, is still a quote; a tab cannot split the tag.
        for quote in ["\"\u{301}", "\"\u{FE0F}"] {
            let html = MarkdownHTML.render("[x](https://a/\(quote)\tonmouseover=alert(1)\tx=) and \(quote)")
            #expect(!html.unicodeScalars.contains("\"") && !html.contains("<a "), "no raw quote at all: \(html)")
        }
        #expect(MarkdownHTML.render("[docs](https://example.com/a_b_c*d*)")
                == #"<p><a href="https://example.com/a_b_c*d*" rel="noopener noreferrer">docs</a></p>"#, "marks stay out of an address")
    }

    @Test("what is not a mark stays as written")
    func literal() {
        #expect(MarkdownHTML.render("snake_case_name and 2 * 3 * 4") == "<p>snake_case_name and 2 * 3 * 4</p>")
        #expect(MarkdownHTML.render("a lone ** here") == "<p>a lone ** here</p>")
        #expect(MarkdownHTML.render("#hashtag is not a heading") == "<p>#hashtag is not a heading</p>")
        #expect(MarkdownHTML.render("") == "")
    }
}
