/*
 * pdf_out.c - pay statements as PDF (libharu), one page per person: who,
 * the period and run, the pay components, score, grade and rank, and the
 * lines of the calculation.  Chinese text uses libharu's built-in SimSun
 * with the GBK encoding (text converted from UTF-8 with iconv); ids, periods
 * and amounts are plain ASCII, so any PDF reader extracts them.
 */
#include "io/statement.h"

#include <hpdf.h>
#include <iconv.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pdf {
    HPDF_Doc doc;
    HPDF_Font font, latin; /* SimSun (GBK) for Chinese, Helvetica for ASCII */
    iconv_t cd;
    HPDF_Page page;
    float y;
    jmp_buf fail;
    HPDF_STATUS code;
};

/* libharu reports errors through this handler; we leave the current statement. */
static void on_error(HPDF_STATUS code, HPDF_STATUS detail, void *data)
{
    struct pdf *p = data;
    (void)detail;
    p->code = code;
    longjmp(p->fail, 1);
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* s (UTF-8) in GBK into out; characters GBK lacks become '?'. */
static void to_gbk(struct pdf *p, const char *s, char *out, size_t n)
{
    char *in = (char *)s, *o = out;
    size_t il = strlen(s), ol = n - 1;
    iconv(p->cd, NULL, NULL, NULL, NULL);
    while (il && ol) {
        if (iconv(p->cd, &in, &il, &o, &ol) == (size_t)-1) {
            if (!ol)
                break;
            /* skip one UTF-8 character */
            *o++ = '?';
            ol--;
            do {
                in++;
                il--;
            } while (il && ((unsigned char)*in & 0xC0) == 0x80);
        }
    }
    *o = '\0';
}

/* A new page with the heading of the statement. */
static void new_page(struct pdf *p)
{
    p->page = HPDF_AddPage(p->doc);
    HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    p->y = HPDF_Page_GetHeight(p->page) - 50;
}

/*
 * Draw utf8 at (x, y) in size: ASCII runs in Helvetica (so readers extract
 * them as typed), the rest in SimSun through GBK.  Returns the width drawn.
 */
static float draw(struct pdf *p, float x, float y, float size, const char *utf8, bool measure)
{
    float w = 0;
    char run[1024], gbk[2048];
    while (*utf8) {
        bool ascii = (unsigned char)*utf8 < 0x80;
        size_t n = 0;
        while (utf8[n] && ((unsigned char)utf8[n] < 0x80) == ascii && n + 1 < sizeof run)
            n++;
        memcpy(run, utf8, n);
        run[n] = '\0';
        utf8 += n;
        const char *text = run;
        if (!ascii) {
            to_gbk(p, run, gbk, sizeof gbk);
            text = gbk;
        }
        HPDF_Page_SetFontAndSize(p->page, ascii ? p->latin : p->font, size);
        if (!measure) {
            HPDF_Page_BeginText(p->page);
            HPDF_Page_TextOut(p->page, x + w, y, text);
            HPDF_Page_EndText(p->page);
        }
        w += HPDF_Page_TextWidth(p->page, text);
    }
    return w;
}

/* One line of text at x; a new page at the bottom. */
static void line(struct pdf *p, float x, float size, const char *utf8)
{
    if (p->y < 50)
        new_page(p);
    draw(p, x, p->y, size, utf8, false);
    p->y -= size + 6;
}

/* Bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/* utf8 in lines no wider than width from x, broken after a space where one is near. */
static void wrapped(struct pdf *p, float x, float size, float width, const char *utf8)
{
    char buf[1024], ch[8];
    while (*utf8) {
        size_t n = 0, brk = 0;
        float w = 0;
        while (utf8[n]) {
            size_t cl = char_len(utf8 + n);
            memcpy(ch, utf8 + n, cl);
            ch[cl] = '\0';
            float cw = draw(p, 0, 0, size, ch, true); /* widths add up: no kerning */
            if (n && (w + cw > width || n + cl >= sizeof buf))
                break;
            w += cw;
            n += cl;
            if (utf8[n - 1] == ' ')
                brk = n;
        }
        if (utf8[n] && brk > n / 2)
            n = brk; /* at the last space, unless that wastes half the line */
        memcpy(buf, utf8, n);
        buf[n] = '\0';
        line(p, x, size, buf);
        utf8 += n;
        while (*utf8 == ' ')
            utf8++;
    }
}

/* A label and a right-aligned value on one line. */
static void field(struct pdf *p, const char *label, const char *value)
{
    if (p->y < 50)
        new_page(p);
    draw(p, 60, p->y, 11, label, false);
    draw(p, 400 - draw(p, 0, p->y, 11, value, true), p->y, 11, value, false);
    p->y -= 17;
}

/* One person's statement from the stored row. */
static void statement(struct pdf *p, const struct jx_run_record *rec, const struct jx_run_row *r)
{
    json_error_t je;
    json_t *o = json_loads(r->result, 0, &je);
    json_t *t = r->trace[0] ? json_loads(r->trace, 0, &je) : NULL;
    char buf[512];
    new_page(p);
    line(p, 60, 18, "工资单 Pay statement");
    snprintf(buf, sizeof buf, "%s %s  %s  %s  run %s", str(o, "id"), str(o, "name"),
             str(o, "unit_id"), rec->period, rec->id);
    line(p, 60, 11, buf);
    p->y -= 8;
    json_t *pay = json_object_get(o, "pay"), *sc = json_object_get(o, "score");
    if (json_is_object(pay)) {
        field(p, "基本工资 base pay", str(pay, "base"));
        field(p, "提成 commission", str(pay, "commission"));
        field(p, "奖金 bonus", str(pay, "bonus"));
        field(p, "扣款 deductions", str(pay, "deductions"));
        field(p, "应发合计 total", str(pay, "total"));
        p->y -= 8;
    }
    if (json_is_object(sc)) {
        field(p, "KPI得分 KPI", str(sc, "kpi"));
        field(p, "定性得分 qualitative", str(sc, "qualitative"));
        field(p, "最终得分 final", str(sc, "final"));
        field(p, "等级 grade", str(sc, "grade"));
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(sc, "rank")));
        field(p, "排名 rank", buf);
        p->y -= 8;
    }
    line(p, 60, 13, "计算过程 How it was computed");
    size_t i;
    json_t *e;
    json_array_foreach(t, i, e)
    {
        snprintf(buf, sizeof buf, "%zu. %s %s: %s", i + 1, str(e, "zh"), str(e, "en"),
                 str(e, "value"));
        line(p, 60, 9, buf);
        wrapped(p, 76, 7, 460, str(e, "detail"));
    }
    json_decref(o);
    json_decref(t);
}

enum jx_status jx_statement_pdf(const char *path, const struct jx_run_record *rec,
                                struct jx_err *err)
{
    struct pdf p = {0};
    if (!rec->nrows)
        return jx_err_set(err, JX_ENOTFOUND, "no result to print");
    p.cd = iconv_open("GBK", "UTF-8");
    if (p.cd == (iconv_t)-1)
        return jx_err_set(err, JX_EINTERNAL, "no UTF-8 to GBK conversion (iconv)");
    if (!(p.doc = HPDF_New(on_error, &p))) {
        iconv_close(p.cd);
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    if (setjmp(p.fail)) {
        HPDF_Free(p.doc);
        iconv_close(p.cd);
        return jx_err_set(err, JX_ESTORE, "cannot write %s (libharu error 0x%04x)", path,
                          (unsigned)p.code);
    }
    HPDF_UseCNSFonts(p.doc);
    HPDF_UseCNSEncodings(p.doc);
    p.font = HPDF_GetFont(p.doc, "SimSun", "GBK-EUC-H");
    p.latin = HPDF_GetFont(p.doc, "Helvetica", NULL);
    HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "jixiao");
    for (size_t i = 0; i < rec->nrows; i++)
        statement(&p, rec, &rec->rows[i]);
    HPDF_SaveToFile(p.doc, path);
    HPDF_Free(p.doc);
    iconv_close(p.cd);
    return JX_OK;
}
