/*
 * xlsx_in.c - one sheet of an .xlsx workbook as CSV text, so that the
 * importer checks it exactly as a CSV file (same messages, the sheet's row
 * numbers as line numbers).  The workbook is a zip (libzip) of XML parts
 * (expat): workbook.xml names the sheets, its relationships give their
 * files, sharedStrings.xml holds the text, styles.xml says which number
 * formats are dates and percentages; a date serial becomes YYYY-MM-DD (and
 * HH:MM when it has a time of day), 0.05 in a percent format "5%".
 */
#include "io/xlsx_in.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/arena.h"
#include "core/date.h"

#define MAX_PART (256u << 20) /* an XML part larger than this is refused */
#define MAX_COLS 256

/* A growable byte buffer. */
struct buf {
    char *p;
    size_t n, cap;
    bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = jx_realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* Read a part of the zip whole; NULL when missing (or too large: *big). */
static char *read_part(zip_t *z, const char *name, size_t *len, bool *big)
{
    zip_stat_t zs;
    *big = false;
    if (zip_stat(z, name, 0, &zs) || !(zs.valid & ZIP_STAT_SIZE))
        return NULL;
    if (zs.size > MAX_PART) {
        *big = true;
        return NULL;
    }
    zip_file_t *f = zip_fopen(z, name, 0);
    char *data = f ? jx_malloc(zs.size + 1) : NULL;
    zip_int64_t got = data ? zip_fread(f, data, zs.size) : -1;
    if (f)
        zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != zs.size) {
        free(data);
        return NULL;
    }
    data[zs.size] = '\0';
    *len = zs.size;
    return data;
}

/* The value of attribute name, or NULL. */
static const char *attr(const XML_Char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], name))
            return atts[i + 1];
    return NULL;
}

/* The local part of a tag ("x:row" -> "row"). */
static const char *local(const char *tag)
{
    const char *c = strrchr(tag, ':');
    return c ? c + 1 : tag;
}

/* ---- the parts -------------------------------------------------------- */

struct book {
    /* workbook.xml + rels */
    char *sheet_name[64], *sheet_rid[64], *rel_id[256], *rel_target[256];
    int nsheets, nrels;
    /* sharedStrings.xml */
    char **strings;
    size_t nstrings, capstrings;
    struct buf cur;
    bool in_si, in_t;
    /* styles.xml: date-ness of each cellXfs entry (0 no, 1 date, 2 date and time) */
    int custom_id[256];
    int custom_kind[256];
    int ncustom;
    unsigned char *xf_kind;
    size_t nxf, capxf;
    bool in_cellxfs;
    bool oom;
};

static char *dup(struct book *b, const char *s)
{
    char *d = s ? strdup(s) : NULL;
    if (s && !d)
        b->oom = true;
    return d;
}

static void wb_start(void *ud, const XML_Char *tag, const XML_Char **atts)
{
    struct book *b = ud;
    const char *t = local(tag);
    if (!strcmp(t, "sheet") && b->nsheets < 64) {
        b->sheet_name[b->nsheets] = dup(b, attr(atts, "name"));
        b->sheet_rid[b->nsheets] = dup(b, attr(atts, "r:id"));
        b->nsheets++;
    } else if (!strcmp(t, "Relationship") && b->nrels < 256) {
        b->rel_id[b->nrels] = dup(b, attr(atts, "Id"));
        b->rel_target[b->nrels] = dup(b, attr(atts, "Target"));
        b->nrels++;
    }
}

static void ss_start(void *ud, const XML_Char *tag, const XML_Char **atts)
{
    struct book *b = ud;
    const char *t = local(tag);
    (void)atts;
    if (!strcmp(t, "si")) {
        b->in_si = true;
        b->cur.n = 0;
        put(&b->cur, "", 0);
    } else if (!strcmp(t, "t") && b->in_si) {
        b->in_t = true;
    }
}

static void ss_end(void *ud, const XML_Char *tag)
{
    struct book *b = ud;
    const char *t = local(tag);
    if (!strcmp(t, "t")) {
        b->in_t = false;
    } else if (!strcmp(t, "si")) {
        b->in_si = false;
        if (b->nstrings == b->capstrings) {
            size_t cap = b->capstrings ? b->capstrings * 2 : 256;
            char **v = jx_realloc(b->strings, cap * sizeof *v);
            if (!v) {
                b->oom = true;
                return;
            }
            b->strings = v;
            b->capstrings = cap;
        }
        b->strings[b->nstrings++] = dup(b, b->cur.p ? b->cur.p : "");
    }
}

static void ss_text(void *ud, const XML_Char *s, int len)
{
    struct book *b = ud;
    if (b->in_t)
        put(&b->cur, s, (size_t)len);
}

/*
 * 0 a plain number, 1 a date, 2 a date with a time, 3 a percentage, by a
 * number format's code.
 */
static int format_kind(const char *code)
{
    bool date = false, time = false, quoted = false, percent = false;
    for (const char *c = code; *c; c++) {
        if (*c == '"')
            quoted = !quoted;
        else if (*c == '\\' && c[1])
            c++;
        else if (*c == '[') { /* [Red], [$-409]... */
            while (*c && *c != ']')
                c++;
            if (!*c)
                break;
        } else if (!quoted) {
            char l = (char)(*c | 0x20);
            date |= l == 'y' || l == 'd';
            time |= l == 'h' || l == 's';
            percent |= *c == '%';
        }
    }
    return date ? (time ? 2 : 1) : percent ? 3 : 0;
}

/* Excel's built-in number formats that are dates (14-17, 22) or percentages (9, 10). */
static int builtin_kind(int id)
{
    if (id >= 14 && id <= 17)
        return 1;
    if (id == 22)
        return 2;
    if (id == 9 || id == 10)
        return 3;
    return 0;
}

static void st_start(void *ud, const XML_Char *tag, const XML_Char **atts)
{
    struct book *b = ud;
    const char *t = local(tag);
    if (!strcmp(t, "numFmt") && b->ncustom < 256) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        b->custom_id[b->ncustom] = id ? atoi(id) : -1;
        b->custom_kind[b->ncustom] = code ? format_kind(code) : 0;
        b->ncustom++;
    } else if (!strcmp(t, "cellXfs")) {
        b->in_cellxfs = true;
    } else if (!strcmp(t, "xf") && b->in_cellxfs) {
        const char *id = attr(atts, "numFmtId");
        int n = id ? atoi(id) : 0, kind = builtin_kind(n);
        for (int i = 0; i < b->ncustom; i++)
            if (b->custom_id[i] == n)
                kind = b->custom_kind[i];
        if (b->nxf == b->capxf) {
            size_t cap = b->capxf ? b->capxf * 2 : 64;
            unsigned char *v = jx_realloc(b->xf_kind, cap);
            if (!v) {
                b->oom = true;
                return;
            }
            b->xf_kind = v;
            b->capxf = cap;
        }
        b->xf_kind[b->nxf++] = (unsigned char)kind;
    }
}

static void st_end(void *ud, const XML_Char *tag)
{
    struct book *b = ud;
    if (!strcmp(local(tag), "cellXfs"))
        b->in_cellxfs = false;
}

/* ---- the sheet -------------------------------------------------------- */

struct sheet {
    struct book *b;
    struct buf csv;
    long row;          /* the current row (1-based), 0 outside */
    long written;      /* rows written to csv so far (lines) */
    char *cell[MAX_COLS];
    int ncells;
    int col;           /* the current cell's column, -1 outside a cell */
    char type[16];
    int style;
    struct buf val;
    bool in_v, in_t;
    bool oom, too_wide;
    int width;         /* the header row's cells: later rows are padded to it */
};

/* Column index of a reference such as "AB12" (0-based), or -1. */
static int ref_col(const char *r)
{
    int c = 0, n = 0;
    for (; *r >= 'A' && *r <= 'Z'; r++, n++)
        c = c * 26 + (*r - 'A' + 1);
    return n ? c - 1 : -1;
}

/* A date serial as text: YYYY-MM-DD, or YYYY-MM-DD HH:MM when kind is 2. */
static void serial_text(double v, int kind, char *out, size_t n)
{
    /* serial 25569 is 1970-01-01 (the 1900 system, past the 1900 leap-year bug) */
    double days = floor(v);
    int32_t date = (int32_t)(days - 25569);
    int minutes = (int)llround((v - days) * 1440.0);
    if (minutes >= 1440) {
        date++;
        minutes -= 1440;
    }
    char d[JX_DATE_BUFSZ];
    jx_date_format(date, d);
    if (kind == 2)
        snprintf(out, n, "%s %02d:%02d", d, minutes / 60, minutes % 60);
    else
        snprintf(out, n, "%s", d);
}

/* The text of the cell just closed, as it goes into the CSV. */
static char *cell_text(struct sheet *s)
{
    const char *v = s->val.p ? s->val.p : "";
    char tmp[64];
    if (!strcmp(s->type, "s")) {
        char *end;
        long i = strtol(v, &end, 10);
        v = *v && !*end && i >= 0 && (size_t)i < s->b->nstrings ? s->b->strings[i] : "";
    } else if (!strcmp(s->type, "b")) {
        v = !strcmp(v, "1") ? "1" : "0";
    } else if ((!s->type[0] || !strcmp(s->type, "n")) && *v) {
        int kind = s->style >= 0 && (size_t)s->style < s->b->nxf ? s->b->xf_kind[s->style] : 0;
        char *end;
        double d = strtod(v, &end);
        if (!*end && kind == 3) {
            /* 5% is stored as 0.05 with a percent format: the text the user typed */
            snprintf(tmp, sizeof tmp, "%.13g%%", d * 100);
            v = tmp;
        } else if (!*end && kind) {
            serial_text(d, kind, tmp, sizeof tmp);
            v = tmp;
        } else if (!*end && strchr(v, 'E') == NULL && strchr(v, 'e') == NULL) {
            /* Excel writes the shortest text of the double (1172.8, 0.15): kept as is.  Other
               writers (libxlsxwriter, LibreOffice) may write 17 digits (81.59999999999999):
               Excel's 15 significant digits give the number the user sees */
            if (strchr(v, '.') && strlen(v) > 16) {
                snprintf(tmp, sizeof tmp, "%.15g", d);
                if (!strchr(tmp, 'e'))
                    v = tmp;
            }
        } else if (!*end) {
            snprintf(tmp, sizeof tmp, "%.15g", d);
            v = tmp;
        }
    }
    return strdup(v);
}

static void sh_start(void *ud, const XML_Char *tag, const XML_Char **atts)
{
    struct sheet *s = ud;
    const char *t = local(tag);
    if (!strcmp(t, "row")) {
        const char *r = attr(atts, "r");
        s->row = r ? atol(r) : s->row + 1;
        s->ncells = 0;
    } else if (!strcmp(t, "c") && s->row) {
        const char *r = attr(atts, "r"), *ty = attr(atts, "t"), *st = attr(atts, "s");
        s->col = r ? ref_col(r) : s->ncells;
        snprintf(s->type, sizeof s->type, "%s", ty ? ty : "");
        s->style = st ? atoi(st) : -1;
        s->val.n = 0;
        put(&s->val, "", 0);
    } else if (!strcmp(t, "v") && s->col >= 0) {
        s->in_v = true;
    } else if (!strcmp(t, "t") && s->col >= 0) {
        s->in_t = true; /* inline string */
    }
}

/* Append one CSV field, quoted when needed. */
static void csv_field(struct buf *b, const char *v)
{
    if (strpbrk(v, ",\"\r\n")) {
        put(b, "\"", 1);
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                put(b, "\"", 1);
            put(b, p, 1);
        }
        put(b, "\"", 1);
    } else {
        put(b, v, strlen(v));
    }
}

static void sh_end(void *ud, const XML_Char *tag)
{
    struct sheet *s = ud;
    const char *t = local(tag);
    if (!strcmp(t, "v")) {
        s->in_v = false;
    } else if (!strcmp(t, "t")) {
        s->in_t = false;
    } else if (!strcmp(t, "c") && s->col >= 0) {
        if (s->col >= MAX_COLS) {
            s->too_wide = true;
        } else {
            free(s->cell[s->col]);
            if (!(s->cell[s->col] = cell_text(s)))
                s->oom = true;
            if (s->col + 1 > s->ncells)
                s->ncells = s->col + 1;
        }
        s->col = -1;
    } else if (!strcmp(t, "row") && s->row) {
        /* blank lines for rows the sheet skips, so line numbers are row numbers */
        while (s->written + 1 < s->row) {
            put(&s->csv, "\n", 1);
            s->written++;
        }
        /* Excel leaves out trailing empty cells: pad to the header's width */
        if (!s->width)
            s->width = s->ncells;
        int n = s->ncells > s->width ? s->ncells : s->width;
        for (int c = 0; c < n; c++) {
            if (c)
                put(&s->csv, ",", 1);
            csv_field(&s->csv, s->cell[c] ? s->cell[c] : "");
            free(s->cell[c]);
            s->cell[c] = NULL;
        }
        put(&s->csv, "\n", 1);
        s->written = s->row;
    }
}

static void sh_text(void *ud, const XML_Char *txt, int len)
{
    struct sheet *s = ud;
    if (s->in_v || s->in_t)
        put(&s->val, txt, (size_t)len);
}

/* Parse data with the handlers; false on malformed XML. */
static bool parse(const char *data, size_t len, void *ud, XML_StartElementHandler start,
                  XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return false;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (text)
        XML_SetCharacterDataHandler(p, text);
    bool ok = XML_Parse(p, data, (int)len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok;
}

static void book_free(struct book *b)
{
    for (int i = 0; i < b->nsheets; i++) {
        free(b->sheet_name[i]);
        free(b->sheet_rid[i]);
    }
    for (int i = 0; i < b->nrels; i++) {
        free(b->rel_id[i]);
        free(b->rel_target[i]);
    }
    for (size_t i = 0; i < b->nstrings; i++)
        free(b->strings[i]);
    free(b->strings);
    free(b->cur.p);
    free(b->xf_kind);
}

/* The sheet of an open workbook z (closed here); path names it in messages. */
static enum jx_status sheet_csv(zip_t *z, const char *path, const char *want, char **csv,
                                size_t *len, char *sheet_name, size_t sheet_size,
                                struct jx_err *err)
{
    struct book b = {0};
    struct sheet s = {.b = &b, .col = -1};
    enum jx_status st = JX_OK;
    char *wb = NULL, *rels = NULL, *ss = NULL, *styles = NULL, *sheet = NULL;
    size_t wl = 0, rl = 0, sl = 0, yl = 0, hl = 0;
    bool big = false;
    *csv = NULL;
    if (!z)
        return jx_err_set(err, JX_EINPUT, "%s: not an .xlsx workbook (cannot open it as a zip)",
                          path);
    wb = read_part(z, "xl/workbook.xml", &wl, &big);
    rels = read_part(z, "xl/_rels/workbook.xml.rels", &rl, &big);
    if (!wb || !rels || !parse(wb, wl, &b, wb_start, NULL, NULL) ||
        !parse(rels, rl, &b, wb_start, NULL, NULL) || !b.nsheets) {
        st = jx_err_set(err, JX_EINPUT, "%s: not an .xlsx workbook (no sheets)", path);
        goto out;
    }
    int k = -1;
    for (int i = 0; i < b.nsheets && k < 0; i++)
        if (!want || (b.sheet_name[i] && !strcmp(b.sheet_name[i], want)))
            k = i;
    if (k < 0) {
        st = jx_err_set(err, JX_EINPUT, "%s: no sheet \"%s\"", path, want);
        goto out;
    }
    char part[600] = "";
    for (int i = 0; i < b.nrels; i++)
        if (b.rel_id[i] && b.sheet_rid[k] && !strcmp(b.rel_id[i], b.sheet_rid[k]) &&
            b.rel_target[i]) {
            const char *tg = b.rel_target[i];
            if (tg[0] == '/')
                snprintf(part, sizeof part, "%s", tg + 1);
            else
                snprintf(part, sizeof part, "xl/%s", tg);
        }
    snprintf(sheet_name, sheet_size, "%s", b.sheet_name[k] ? b.sheet_name[k] : "Sheet1");
    if ((ss = read_part(z, "xl/sharedStrings.xml", &sl, &big)) &&
        !parse(ss, sl, &b, ss_start, ss_end, ss_text)) {
        st = jx_err_set(err, JX_EINPUT, "%s: malformed shared strings", path);
        goto out;
    }
    if ((styles = read_part(z, "xl/styles.xml", &yl, &big)) &&
        !parse(styles, yl, &b, st_start, st_end, NULL)) {
        st = jx_err_set(err, JX_EINPUT, "%s: malformed styles", path);
        goto out;
    }
    if (!part[0] || !(sheet = read_part(z, part, &hl, &big))) {
        st = jx_err_set(err, JX_EINPUT, "%s: sheet \"%s\" %s", path, sheet_name,
                        big ? "is too large" : "cannot be read");
        goto out;
    }
    if (!parse(sheet, hl, &s, sh_start, sh_end, sh_text)) {
        st = jx_err_set(err, JX_EINPUT, "%s: sheet \"%s\" is malformed XML", path, sheet_name);
        goto out;
    }
    if (s.too_wide) {
        st = jx_err_set(err, JX_EINPUT, "%s: sheet \"%s\" has more than %d columns", path,
                        sheet_name, MAX_COLS);
        goto out;
    }
    if (b.oom || s.oom || s.csv.oom || s.val.oom) {
        st = jx_err_set(err, JX_ENOMEM, "out of memory reading %s", path);
        goto out;
    }
    *csv = s.csv.p ? s.csv.p : strdup("");
    *len = s.csv.p ? s.csv.n : 0;
    s.csv.p = NULL;
    if (!*csv)
        st = jx_err_set(err, JX_ENOMEM, "out of memory");
out:
    for (int c = 0; c < MAX_COLS; c++)
        free(s.cell[c]);
    free(s.csv.p);
    free(s.val.p);
    book_free(&b);
    free(wb);
    free(rels);
    free(ss);
    free(styles);
    free(sheet);
    zip_close(z);
    return st;
}

enum jx_status jx_xlsx_sheet_csv(const char *path, const char *want, char **csv, size_t *len,
                                 char *sheet_name, size_t sheet_size, struct jx_err *err)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    return sheet_csv(z, path, want, csv, len, sheet_name, sheet_size, err);
}

enum jx_status jx_xlsx_sheet_csv_mem(const void *data, size_t size, const char *name,
                                     const char *want, char **csv, size_t *len, char *sheet_name,
                                     size_t sheet_size, struct jx_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, size, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (src && !z)
        zip_source_free(src);
    zip_error_fini(&ze);
    return sheet_csv(z, name, want, csv, len, sheet_name, sheet_size, err);
}
