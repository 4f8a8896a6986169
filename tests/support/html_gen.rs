//! A plain-text report wrapped in a realistic government-site page, with the chrome such pages
//! carry: a script and a navigation menu naming rule keywords, a breadcrumb, a clock line, a
//! metadata box (without any date, so that the page's publication date is whatever the report
//! text itself says), print and close links, a related-articles list naming another year's
//! report, and a footer with 版权所有 and an ICP number. Self-contained (std only), so both unit
//! tests (through `#[path]`) and integration tests can include it.
#![allow(dead_code)]

/// Strings that occur only in the chrome of a generated page, never in a report: none of them
/// may survive extraction.
pub const CHROME_MARKERS: &[&str] = &[
    "ruleKeywords",
    "下一年度工作安排",
    "某某县人民政府",
    "第一责任人述法专栏",
    "存在的问题整改专栏",
    "法治政府建设年度报告专栏",
    "今天是：2019年7月1日",
    "000014349",
    "【打印本页】",
    "【关闭窗口】",
    "某某县2019年度",
    "某某县2020年度",
    "某ICP备12345678号",
    "shareWeixin",
];

/// Wrap a plain-text report (one paragraph per line; its first non-empty line that looks like a
/// title may be used as the <h1>) in a realistic government-site page: <head> with
/// <title>…-某某县人民政府</title> and a <script> whose source contains rule keywords
/// (第一责任人 存在的问题 下一年度工作安排 2019年), a top nav menu and a breadcrumb containing
/// keywords too, a metadata box WITHOUT any date (so the page's publication date is whatever the
/// report text itself says), the report lines as <p> elements inside <div class="TRS_Editor">,
/// then 打印本页/关闭窗口 links, a 相关文章 list with another year's report title (e.g.
/// 某某县2019年度法治政府建设情况报告), and a footer with 版权所有 and an ICP number.
/// HTML-escape the report text (&, <, >).
pub fn html_from_text(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .collect();
    // The title: the first line when it looks like one (then it moves to the <h1>), or a title
    // line a little further down (then it stays in the body too, as pages that repeat it do).
    let title_at = lines.iter().take(6).position(|l| looks_like_title(l));
    let (h1, body): (Option<&str>, &[&str]) = match title_at {
        Some(0) => (Some(lines[0].trim()), &lines[1..]),
        Some(i) => (Some(lines[i].trim()), &lines[..]),
        None => (None, &lines[..]),
    };
    let page_title = h1.unwrap_or("政务公开");

    let mut html = String::with_capacity(text.len() * 2 + 8192);
    html.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n");
    html.push_str("<meta charset=\"utf-8\">\n");
    html.push_str("<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n");
    html.push_str("<meta name=\"SiteName\" content=\"某某县人民政府\">\n");
    html.push_str("<meta name=\"ColumnName\" content=\"法治政府建设年度报告\">\n");
    html.push_str(&format!(
        "<title>{}-某某县人民政府</title>\n",
        escape(page_title)
    ));
    html.push_str("<link rel=\"stylesheet\" href=\"/css/common.css\">\n");
    html.push_str(concat!(
        "<style>\n.TRS_Editor p { text-indent: 2em; line-height: 1.8; }\n",
        ".nav li { float: left; } /* 第一责任人 */\n</style>\n",
        "<script type=\"text/javascript\">\n",
        "var ruleKeywords = [\"第一责任人\", \"存在的问题\", \"下一年度工作安排\", \"2019年\"];\n",
        "function highlight(el) { for (var i = 0; i < ruleKeywords.length; i++) { ",
        "el.innerHTML = el.innerHTML.replace(ruleKeywords[i], '<em>' + ruleKeywords[i] + '</em>'); } }\n",
        "if (1 < 2 && 3 > 2) { document.title = document.title; }\n",
        "</script>\n",
    ));
    html.push_str("</head>\n<body>\n");

    // Top bar, header, navigation, breadcrumb.
    html.push_str(concat!(
        "<div class=\"top-bar\">\n",
        "  <div class=\"w1200\"><span class=\"date\">今天是：2019年7月1日 星期一</span>\n",
        "  <a href=\"/care/\">关怀版</a> <a href=\"javascript:void(0)\" id=\"wza\">无障碍</a></div>\n",
        "</div>\n",
        "<div class=\"header\">\n",
        "  <div class=\"logo\"><a href=\"/\"><img src=\"/images/logo.png\" alt=\"某某县人民政府\"></a></div>\n",
        "  <div class=\"search\"><form action=\"/search\"><input type=\"text\" name=\"q\" placeholder=\"存在的问题\">",
        "<button type=\"submit\">搜索</button></form></div>\n",
        "</div>\n",
        "<div class=\"nav\">\n  <ul class=\"menu\">\n",
        "    <li><a href=\"/\">首页</a></li>\n",
        "    <li><a href=\"/zwgk/\">政务公开</a>\n",
        "      <ul class=\"sub-menu\"><li><a href=\"/zwgk/fzzf/\">法治政府建设年度报告专栏</a></li>",
        "<li><a href=\"/zwgk/zrr/\">第一责任人述法专栏</a></li></ul></li>\n",
        "    <li><a href=\"/zxwt/\">存在的问题整改专栏</a></li>\n",
        "    <li><a href=\"/gzap/\">下一年度工作安排</a></li>\n",
        "    <li><a href=\"/hdjl/\">互动交流</a></li>\n",
        "  </ul>\n</div>\n",
        "<div class=\"w1200 main\">\n",
        "<div class=\"position\">您当前所在位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; ",
        "<a href=\"/zwgk/fzzf/\">法治政府建设年度报告专栏</a></div>\n",
    ));

    // The article: heading, metadata box (no date), body.
    html.push_str("<div class=\"article\">\n");
    if let Some(t) = h1 {
        html.push_str(&format!("<h1 class=\"article-title\">{}</h1>\n", escape(t)));
    }
    html.push_str(concat!(
        "<table class=\"xxgk-table\">\n",
        "  <tr><th>索引号：</th><td>000014349/2019-00001</td><th>发布机构：</th><td>某某县人民政府办公室</td></tr>\n",
        "  <tr><th>主题分类：</th><td>综合政务</td><th>文号：</th><td></td></tr>\n",
        "</table>\n",
    ));
    html.push_str("<div class=\"TRS_Editor\">\n");
    for line in body {
        html.push_str("<p>");
        html.push_str(&escape(line.trim()));
        html.push_str("</p>\n");
    }
    html.push_str("</div>\n");
    html.push_str(concat!(
        "<div class=\"article-tools\">\n",
        "  <a href=\"javascript:window.print()\">【打印本页】</a>\n",
        "  <a href=\"javascript:window.close()\">【关闭窗口】</a>\n",
        "  <span class=\"share\">分享到：<a href=\"javascript:void(0)\" id=\"shareWeixin\">微信</a></span>\n",
        "</div>\n",
        "</div>\n",
    ));

    // Related articles, footer.
    html.push_str(concat!(
        "<div class=\"related\">\n  <h3>相关文章</h3>\n  <ul>\n",
        "    <li><a href=\"/zwgk/fzzf/2020/\">某某县2019年度法治政府建设情况报告</a><span>2020-03-20</span></li>\n",
        "    <li><a href=\"/zwgk/fzzf/2021/\">某某县2020年度法治政府建设情况报告</a><span>2021-03-18</span></li>\n",
        "  </ul>\n</div>\n",
        "</div>\n",
        "<div class=\"footer\">\n",
        "  <p>版权所有：某某县人民政府办公室 主办：某某县人民政府</p>\n",
        "  <p>网站标识码：0000000000 <a href=\"https://beian.miit.gov.cn/\">某ICP备12345678号</a></p>\n",
        "</div>\n",
        "<script>var _hmt = _hmt || []; /* 第一责任人 存在的问题 */</script>\n",
        "</body>\n</html>\n",
    ));
    html
}

/// Whether a line looks like a report title: short, naming the rule of law and a report.
fn looks_like_title(line: &str) -> bool {
    let t = line.trim().trim_start_matches('#').trim();
    let law = ["法治", "法制", "依法行政", "依法治"]
        .iter()
        .any(|w| t.contains(w));
    let kind = ["报告", "总结", "情况"].iter().any(|w| t.contains(w));
    law && kind
        && t.chars().count() <= 60
        && !t.contains('。')
        && !t.contains("现将")
        && !t.contains("如下")
        && !t.ends_with(['：', ':', '，', ','])
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}
