#!/usr/bin/env python3
"""Regenerate the committed fuzz seeds in fuzz/seeds/<target>/ from samples/*.txt and rules/*.toml.

Standard library only. Run from anywhere: `python3 fuzz/seeds/make_seeds.py`. The seeds are kept
small (a few per format) so the committed corpus stays well under 1 MB; libFuzzer grows its own
corpus in fuzz/corpus/, which is not committed.
"""
import io
import os
import re
import shutil
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FUZZ = Path(__file__).resolve().parent.parent
ROOT = FUZZ.parent
SEEDS = FUZZ / "seeds"
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
PACKS = sorted((ROOT / "rules").glob("*.toml"))

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def out(target, name, data):
    d = SEEDS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    (d / name).write_bytes(data)


def short(text, n=60):
    """The first n lines: enough structure for the fuzzers, a third of the size."""
    return "\n".join(text.split("\n")[:n])


# --- DOCX -----------------------------------------------------------------------------------

MARK1 = re.compile(r"^[一二三四五六七八九十]+、")
MARK2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def xml_text(s):
    return escape("".join(c for c in s if c >= " " or c == "\t"))


def paragraph(line, numbered):
    ppr = ""
    if numbered and MARK1.match(line):
        line = MARK1.sub("", line)
        ppr = '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
    elif numbered and MARK2.match(line):
        line = MARK2.sub("", line)
        ppr = '<w:pPr><w:pStyle w:val="Heading2"/></w:pPr>'
    runs = ""
    for i, seg in enumerate(line.split("\t")):
        if i:
            runs += "<w:r><w:tab/></w:r>"
        for j in range(0, len(seg), 12):
            runs += f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{xml_text(seg[j:j+12])}</w:t></w:r>'
    return f"<w:p>{ppr}{runs}</w:p>"


def body(text, numbered):
    ps = "".join(paragraph(l, numbered) for l in text.split("\n"))
    table = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>行政复议</w:t></w:r></w:p></w:tc>'
             '<w:tc><w:p><w:r><w:t>12</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>件</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    return ps + table + '<w:sectPr><w:headerReference w:type="default" r:id="rId4"/></w:sectPr>'


STYLES = (DECL + f'<w:styles xmlns:w="{W}">'
          '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
          '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>'
          '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>'
          '</w:styles>')

NUMBERING = (DECL + f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
             '<w:multiLevelType w:val="multilevel"/>'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading2"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
             '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
             '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
             '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>')

CORE = (DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>seed</dc:creator>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-01T08:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-03-02T09:30:00Z</dcterms:modified></cp:coreProperties>')

ROOT_RELS = (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
             '</Relationships>')

DOC_RELS = (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
            '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
            '</Relationships>')

HEADER = DECL + f'<w:hdr {NS}><w:p><w:r><w:t>第一责任人 存在的问题 2019年工作安排</w:t></w:r></w:p></w:hdr>'


def docx(text, numbered, deflate=True):
    document = DECL + f"<w:document {NS}><w:body>{body(text, numbered)}</w:body></w:document>"
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        z.writestr("[Content_Types].xml", DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/styles.xml", STYLES)
        z.writestr("word/numbering.xml", NUMBERING)
        z.writestr("word/header1.xml", HEADER)
        z.writestr("docProps/core.xml", CORE)
    return buf.getvalue()


# --- HTML ------------------------------------------------------------------------------------

def html(text, charset="utf-8"):
    lines = [l for l in text.split("\n") if l.strip()]
    ps = "\n".join(f"<p>{escape(l)}</p>" for l in lines[1:])
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
            f"<title>{escape(lines[0])}-某某县人民政府</title>"
            '<script>var k=["第一责任人","存在的问题"]; if (1 < 2) {}</script></head><body>'
            '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>'
            '<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 法治政府建设</div>'
            f'<h1>{escape(lines[0])}</h1><div class="info">来源：县司法局 浏览次数：1024</div>'
            f'<div class="TRS_Editor">{ps}<table><tr><td>行政复议</td><td>12件</td></tr></table></div>'
            '<div class="related"><h3>相关文章</h3><ul><li><a href="/a">某某县2019年度法治政府建设情况报告</a></li></ul></div>'
            '<div class="footer">版权所有：某某县人民政府 某ICP备12345678号</div></body></html>\n')


def markdown(text):
    outl = []
    for l in text.split("\n"):
        if MARK1.match(l):
            outl.append("## " + l)
        elif MARK2.match(l):
            outl.append("### **" + l + "**")
        elif l.startswith("一是") or l.startswith("二是"):
            outl.append("- " + l)
        else:
            outl.append(l)
    return "# " + "\n".join(outl)


# --- pdftotext-like output ----------------------------------------------------------------------

def pdftotext(text, width=28, per_page=30):
    vis = []
    for l in text.split("\n"):
        if not l.strip():
            continue
        first = "    " + l.strip() if not MARK1.match(l) else l.strip()
        for i in range(0, len(first), width):
            vis.append(first[i:i + width])
    pages = []
    for n, i in enumerate(range(0, len(vis), per_page)):
        pages.append("\n".join(vis[i:i + per_page]) + f"\n\n                — {n + 1} —\n")
    return "\x0c".join(pages) + "\x0c"


def main():
    for t in ["load_bytes", "load_docx", "report_model", "evaluate", "pack", "pack_splice", "pdf_rebuild"]:
        shutil.rmtree(SEEDS / t, ignore_errors=True)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SAMPLES}
    complete = texts["complete"]

    # Report text: every sample, whole (report_model, evaluate).
    for name, t in texts.items():
        out("report_model", f"{name}.txt", t)
        out("evaluate", f"{name}.txt", t)
    # Traditional script and web chrome exercise other paths; a few short odd ones too.
    for name, t in [("empty-lines", "\n\n\r\n"), ("crlf", short(complete, 20).replace("\n", "\r\n")),
                    ("fullwidth", "（一）２０２３年，加强统筹：\u3000一是ＡＢＣ\u200b。"),
                    ("markdown-heads", "# 标题\n## 一、主要举措\n### （一）学法\n1. 一是\n①二是")]:
        out("report_model", f"{name}.txt", t)
        out("evaluate", f"{name}.txt", t)

    # Loader: a few formats and encodings of the sample reports, kept short.
    s = short(complete)
    out("load_bytes", "utf8.txt", s)
    out("load_bytes", "utf8-bom.txt", "\ufeff" + short(texts["no-causes"], 30))
    out("load_bytes", "gbk.txt", short(texts["no-plan"], 30).encode("gbk", "replace"))
    out("load_bytes", "gb18030.txt", ("刘䶮€" + short(texts["thematic"], 20)).encode("gb18030"))
    out("load_bytes", "utf16le-bom.txt", "\ufeff".encode("utf-16-le") + short(complete, 15).encode("utf-16-le"))
    out("load_bytes", "utf16be-bom.txt", "\ufeff".encode("utf-16-be") + short(complete, 15).encode("utf-16-be"))
    out("load_bytes", "utf16le-nobom.txt", short(texts["no-frp"], 15).encode("utf-16-le"))
    out("load_bytes", "big5.txt", short(complete, 10).encode("big5", "replace"))
    out("load_bytes", "page.html", html(short(texts["web-chrome"])))
    out("load_bytes", "page-gb2312.html", html(short(texts["misordered"], 40), "gb2312").encode("gb2312", "replace"))
    out("load_bytes", "report.md", markdown(short(texts["no-shortcomings"])))
    out("load_bytes", "numbered.docx", docx(short(complete, 40), True))
    out("load_bytes", "plain-stored.docx", docx(short(texts["published-late"], 20), False, deflate=False))

    # Structured DOCX: options \0 body \0 styles \0 numbering \0 core \0 doc rels \0 root rels.
    def parts(opts, text, numbered, *rest):
        return "\0".join([opts, body(text, numbered), *rest])
    out("load_docx", "numbered", parts("", short(complete, 30), True, STYLES, NUMBERING, CORE, DOC_RELS, ROOT_RELS))
    out("load_docx", "plain", parts("d", short(texts["no-causes"], 20), False))
    out("load_docx", "styles-only", parts("", short(texts["misordered"], 20), True, STYLES))
    out("load_docx", "raw", "r\0" + DECL + f"<w:document {NS}><w:body>" + body("一、标题\n正文", False) + "</w:body></w:document>")

    # Packs: every bundled pack, and one with extends + override.
    for p in PACKS:
        out("pack", p.name, p.read_text(encoding="utf-8"))
    out("pack", "extends.toml", '[pack]\nid = "x"\nname = "x"\nversion = "1"\nextends = ["2021"]\n\n'
        '[[override]]\nid = "title"\nseverity = "warning"\n\n[[rule]]\nid = "z"\nname = "z"\nkind = "content"\n'
        'severity = "info"\nhelp = "h"\nscope = "body"\nany = [\'法治\']\n')

    # Pack splices: mode, string index (u16 LE), payload.
    for i, (mode, idx, payload) in enumerate([(0, 10, "(?:法治"), (1, 20, "{{leader}}"), (2, 30, "|[^。]{0,99}"),
                                             (3, 40, "error"), (0, 5, "2099"), (1, 60, "{{nope}}"), (0, 80, "")]):
        out("pack_splice", f"splice{i}", bytes([mode]) + idx.to_bytes(2, "little") + payload.encode())

    # pdftotext output.
    out("pdf_rebuild", "complete", pdftotext(complete))
    out("pdf_rebuild", "narrow", pdftotext(short(texts["no-causes"], 40), width=18, per_page=12))


if __name__ == "__main__":
    main()
