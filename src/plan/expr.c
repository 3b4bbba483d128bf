/*
 * expr.c - the formula language: lexer, recursive-descent parser to a small
 * tree (folding constants as it goes), code generator to a stack program,
 * and the evaluator.
 *
 * Compiling allocates a scratch tree and code buffer, then one block that
 * holds the whole compiled formula: header, instructions, their source
 * columns (for error messages only), the constant pool, and the lists of
 * slots and functions used.  Evaluating allocates nothing: the value stack
 * is a fixed array on the C stack, and the code only jumps forward, so an
 * evaluation runs at most jx_expr_cost() instructions.
 */
#include "plan/expr.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"

/* Operations: tree nodes and instructions share the numbering. */
enum op {
    OP_CONST, /* push pool[arg] */
    OP_VAR,   /* push vars[arg] */
    OP_NEG,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_EQ,
    OP_NE,
    OP_NOT,
    OP_BOOL, /* 0 -> 0, anything else -> 1 */
    OP_MIN,  /* n arguments */
    OP_MAX,
    OP_ABS,
    OP_ROUND,
    OP_FLOOR, /* 1 or 2 arguments */
    OP_CEIL,
    OP_CLAMP,
    OP_TIER,        /* tier(x, v0, t1, v1, ...): n arguments */
    OP_PROGRESSIVE, /* progressive(x, t0, r0, t1, r1, ...): n arguments */
    OP_CALL, /* host function arg, n arguments */
    /* tree only */
    OP_AND,
    OP_OR,
    OP_IF,
    /* code only */
    OP_JF,   /* pop; jump to arg when zero */
    OP_JMP,  /* jump to arg */
    OP_JFK,  /* and: when the top is zero keep it and jump to arg, else pop */
    OP_JTK,  /* or: when the top is not zero make it 1 and jump to arg, else pop */
};

struct insn {
    uint8_t op;
    uint8_t n; /* arguments of MIN, MAX, FLOOR, CEIL, CALL */
    int32_t arg;
};

struct jx_expr {
    int ncode, npool, ndeps, ncalls;
    int max_slot;
    const struct insn *code;
    const int32_t *cols; /* source column of each instruction */
    const struct jx_rat *pool;
    const int *deps;
    const int *calls;
};

/* ---- built-in functions --------------------------------------------- */

static const struct builtin {
    const char *name;
    enum op op;
    int min_args, max_args;
    const char *arity; /* "round() takes 2 arguments" */
} builtins[] = {
    {"if", OP_IF, 3, 3, "if() takes 3 arguments: if(condition, then, else)"},
    {"min", OP_MIN, 1, JX_EXPR_MAX_ARGS, "min() takes at least 1 argument"},
    {"max", OP_MAX, 1, JX_EXPR_MAX_ARGS, "max() takes at least 1 argument"},
    {"abs", OP_ABS, 1, 1, "abs() takes 1 argument"},
    {"round", OP_ROUND, 2, 2, "round() takes 2 arguments: round(x, digits)"},
    {"floor", OP_FLOOR, 1, 2, "floor() takes 1 or 2 arguments: floor(x) or floor(x, digits)"},
    {"ceil", OP_CEIL, 1, 2, "ceil() takes 1 or 2 arguments: ceil(x) or ceil(x, digits)"},
    {"clamp", OP_CLAMP, 3, 3, "clamp() takes 3 arguments: clamp(x, low, high)"},
    {"tier", OP_TIER, 4, JX_EXPR_MAX_ARGS,
     "tier() takes x, the value below the first threshold, then threshold, value pairs: "
     "tier(x, v0, t1, v1, ...)"},
    {"progressive", OP_PROGRESSIVE, 3, JX_EXPR_MAX_ARGS - 1,
     "progressive() takes x, then threshold, rate pairs: progressive(x, t0, r0, t1, r1, ...)"},
};

/* The built-in called name[0..len), or NULL. */
static const struct builtin *find_builtin(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strlen(builtins[i].name) == len && !memcmp(builtins[i].name, name, len))
            return &builtins[i];
    return NULL;
}

/* ---- operations on values (shared by folding and evaluation) -------- */

static const struct jx_rat rat_zero = {0, 1}, rat_one = {1, 1};
static const char overflow_msg[] = "arithmetic overflow (the exact result needs more than 38 digits)";

#define INT128_MIN_ (-(__int128)(((unsigned __int128)1 << 127) - 1) - 1)

/* A digits argument: a whole number 0..JX_RAT_MAX_DIGITS, or -1. */
static int digits_of(struct jx_rat d)
{
    if (d.den != 1 || d.num < 0 || d.num > JX_RAT_MAX_DIGITS)
        return -1;
    return (int)d.num;
}

/*
 * Apply op to a[0..n) into *out (which may be a[0]).  On failure *why is
 * the problem, for the caller to place.
 */
static enum jx_status apply(enum op op, const struct jx_rat *a, int n, struct jx_rat *out,
                            const char **why)
{
    enum jx_status st = JX_OK;
    struct jx_rat r;
    int d = 0;

    switch (op) {
    case OP_NEG:
        r = jx_rat_neg(a[0]);
        break;
    case OP_ADD:
        st = jx_rat_add(a[0], a[1], &r);
        break;
    case OP_SUB:
        st = jx_rat_sub(a[0], a[1], &r);
        break;
    case OP_MUL:
        st = jx_rat_mul(a[0], a[1], &r);
        break;
    case OP_DIV:
        st = jx_rat_div(a[0], a[1], &r);
        if (st == JX_EINPUT) {
            *why = "division by zero";
            return st;
        }
        break;
    case OP_LT:
        r = jx_rat_cmp(a[0], a[1]) < 0 ? rat_one : rat_zero;
        break;
    case OP_LE:
        r = jx_rat_cmp(a[0], a[1]) <= 0 ? rat_one : rat_zero;
        break;
    case OP_GT:
        r = jx_rat_cmp(a[0], a[1]) > 0 ? rat_one : rat_zero;
        break;
    case OP_GE:
        r = jx_rat_cmp(a[0], a[1]) >= 0 ? rat_one : rat_zero;
        break;
    case OP_EQ: /* values are in lowest terms: equal means identical */
        r = a[0].num == a[1].num && a[0].den == a[1].den ? rat_one : rat_zero;
        break;
    case OP_NE:
        r = a[0].num == a[1].num && a[0].den == a[1].den ? rat_zero : rat_one;
        break;
    case OP_NOT:
        r = a[0].num == 0 ? rat_one : rat_zero;
        break;
    case OP_BOOL:
        r = a[0].num == 0 ? rat_zero : rat_one;
        break;
    case OP_MIN:
        r = a[0];
        for (int i = 1; i < n; i++)
            r = jx_rat_min(r, a[i]);
        break;
    case OP_MAX:
        r = a[0];
        for (int i = 1; i < n; i++)
            r = jx_rat_max(r, a[i]);
        break;
    case OP_ABS:
        r = jx_rat_abs(a[0]);
        break;
    case OP_ROUND:
    case OP_FLOOR:
    case OP_CEIL:
        if (n == 2 && (d = digits_of(a[1])) < 0) {
            *why = op == OP_ROUND   ? "round() digits must be a whole number from 0 to 18"
                   : op == OP_FLOOR ? "floor() digits must be a whole number from 0 to 18"
                                    : "ceil() digits must be a whole number from 0 to 18";
            return JX_EINPUT;
        }
        st = op == OP_ROUND   ? jx_rat_round(a[0], d, &r)
             : op == OP_FLOOR ? jx_rat_floor(a[0], d, &r)
                              : jx_rat_ceil(a[0], d, &r);
        break;
    case OP_CLAMP:
        if (jx_rat_cmp(a[1], a[2]) > 0) {
            *why = "clamp() low bound is above its high bound";
            return JX_EINPUT;
        }
        r = jx_rat_max(a[1], jx_rat_min(a[0], a[2]));
        break;
    case OP_TIER:
        /* The value of the highest threshold <= x; thresholds must increase. */
        r = a[1];
        for (int i = 2; i + 1 < n; i += 2) {
            if (i > 2 && jx_rat_cmp(a[i - 2], a[i]) >= 0) {
                *why = "tier() thresholds must increase";
                return JX_EINPUT;
            }
            if (jx_rat_cmp(a[0], a[i]) >= 0)
                r = a[i + 1];
        }
        break;
    case OP_PROGRESSIVE:
        /* Sum over bands [t_i, t_i+1) of the part of x in the band x its rate. */
        r = rat_zero;
        for (int i = 3; i + 1 < n; i += 2)
            if (jx_rat_cmp(a[i - 2], a[i]) >= 0) {
                *why = "progressive() thresholds must increase";
                return JX_EINPUT;
            }
        for (int i = 1; i + 1 < n && st == JX_OK; i += 2) {
            struct jx_rat part, top;
            if (jx_rat_cmp(a[0], a[i]) <= 0)
                break;
            top = i + 2 < n ? jx_rat_min(a[0], a[i + 2]) : a[0];
            if (!(st = jx_rat_sub(top, a[i], &part)) && !(st = jx_rat_mul(part, a[i + 1], &part)))
                st = jx_rat_add(r, part, &r);
        }
        break;
    default:
        *why = "internal error: bad operation";
        return JX_EINTERNAL;
    }
    if (st) {
        *why = overflow_msg;
        return JX_ERANGE;
    }
    *out = r;
    return JX_OK;
}

/* ---- lexer ---------------------------------------------------------- */

enum tok {
    T_END,
    T_NUM,
    T_NAME,
    T_LP,
    T_RP,
    T_COMMA,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_EQ,
    T_NE,
    T_AND,
    T_OR,
    T_NOT,
    T_TRUE,
    T_FALSE,
};

struct token {
    enum tok kind;
    size_t off, len; /* the token's text: src[off..off+len) */
    int col;
    struct jx_rat num; /* T_NUM */
};

/* One tree node; children are linked through next. */
struct node {
    uint8_t op;
    uint8_t is_const;
    uint8_t nkids;
    int32_t kid, next; /* first child, next sibling; -1 for none */
    int32_t arg;       /* slot or function id */
    int32_t col;
    struct jx_rat val; /* OP_CONST */
};

struct parser {
    const char *src;
    size_t len, pos;
    int col; /* column of src[pos] */
    struct token tok;
    const struct jx_expr_env *env;
    struct node *nodes;
    int nnodes, cap;
    int depth;
    enum jx_status st;
    struct jx_err *err;
};

/* Record the first error, at column col: "column N: message". */
static int fail(struct parser *p, int col, enum jx_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct parser *p, int col, enum jx_status st, const char *fmt, ...)
{
    if (p->st == JX_OK) {
        char msg[400];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        p->st = jx_err_set(p->err, st, "column %d: %s", col, msg);
        p->tok.kind = T_END;
    }
    return -1;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(int c)
{
    return is_name_start(c) || is_digit(c);
}

/* Byte at i, or 0 past the end. */
static int at(const struct parser *p, size_t i)
{
    return i < p->len ? (unsigned char)p->src[i] : 0;
}

/* Move the position to i, counting columns in code points. */
static void advance_to(struct parser *p, size_t i)
{
    for (; p->pos < i; p->pos++)
        if (((unsigned char)p->src[p->pos] & 0xC0) != 0x80)
            p->col++;
}

/*
 * Length of a well-formed UTF-8 sequence at i (no overlong forms, no
 * surrogates), or 0: only those are quoted back in messages.
 */
static size_t utf8_len(const struct parser *p, size_t i)
{
    int c = at(p, i), c1 = at(p, i + 1);
    size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4
                                                                                                : 0;
    if (n == 0 || i + n > p->len)
        return 0;
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) || (c == 0xF0 && c1 < 0x90) ||
        (c == 0xF4 && c1 > 0x8F))
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((at(p, i + k) & 0xC0) != 0x80)
            return 0;
    return n;
}

/* Full-width and typographic look-alikes of the language's characters. */
static const struct {
    const char *utf8;
    const char *ascii;
} lookalikes[] = {
    {"\xEF\xBC\x88", "("}, {"\xEF\xBC\x89", ")"}, {"\xEF\xBC\x8C", ","}, {"\xEF\xBC\x85", "%"},
    {"\xEF\xBC\x8B", "+"}, {"\xEF\xBC\x8D", "-"}, {"\xEF\xBC\x8A", "*"}, {"\xEF\xBC\x8F", "/"},
    {"\xEF\xBC\x9C", "<"}, {"\xEF\xBC\x9E", ">"}, {"\xEF\xBC\x9D", "=="}, {"\xC3\x97", "*"},
    {"\xC3\xB7", "/"},     {"\xE2\x88\x92", "-"}, {"\xE3\x80\x82", "."}, {"\xE2\x80\x98", "'"},
};

/* Report the unexpected character at i, with a hint for the common mistakes. */
static void bad_char(struct parser *p, size_t i)
{
    int c = at(p, i);
    size_t n = utf8_len(p, i);
    if (c == '=')
        fail(p, p->col, JX_EINPUT, "unexpected \"=\" (write == to compare)");
    else if (c == '!')
        fail(p, p->col, JX_EINPUT, "unexpected \"!\" (write not, or != to compare)");
    else if (c == '&')
        fail(p, p->col, JX_EINPUT, "unexpected \"&\" (write and)");
    else if (c == '|')
        fail(p, p->col, JX_EINPUT, "unexpected \"|\" (write or)");
    else if (c == '%')
        fail(p, p->col, JX_EINPUT, "unexpected \"%%\" (it follows a number, as in 15%%)");
    else if (c == '^')
        fail(p, p->col, JX_EINPUT, "unexpected \"^\" (there is no power operator; write x * x)");
    else if (c == '.' && is_digit(at(p, i + 1)))
        fail(p, p->col, JX_EINPUT, "a number starts with a digit (write 0.5, not .5)");
    else if (c > 0x20 && c < 0x7F)
        fail(p, p->col, JX_EINPUT, "unexpected \"%c\"", c);
    else if (n == 3 && c == 0xEF && at(p, i + 1) == 0xBC && at(p, i + 2) >= 0x90 &&
             at(p, i + 2) <= 0x99)
        fail(p, p->col, JX_EINPUT, "unexpected \"%.3s\" (a full-width digit; write \"%c\")",
             p->src + i, '0' + at(p, i + 2) - 0x90);
    else if (n > 0) {
        for (size_t k = 0; k < sizeof lookalikes / sizeof lookalikes[0]; k++)
            if (strlen(lookalikes[k].utf8) == n && !memcmp(lookalikes[k].utf8, p->src + i, n)) {
                fail(p, p->col, JX_EINPUT, "unexpected \"%.*s\" (a full-width character; write \"%s\")",
                     (int)n, p->src + i, lookalikes[k].ascii);
                return;
            }
        fail(p, p->col, JX_EINPUT, "unexpected \"%.*s\"", (int)n, p->src + i);
    } else
        fail(p, p->col, JX_EINPUT, "unexpected byte 0x%02X", (unsigned)c);
}

/* Lex a number at the current position into p->tok. */
static void lex_number(struct parser *p)
{
    size_t i = p->pos, start = p->pos;
    int ndigits = 0;
    __int128 v = 0, den = 1;
    bool too_long = false;

    for (; is_digit(at(p, i)); i++) {
        if (++ndigits > 30)
            too_long = true;
        else
            v = v * 10 + (at(p, i) - '0');
    }
    bool leading_zero = p->src[start] == '0' && i - start > 1;
    if (at(p, i) == '.' && is_digit(at(p, i + 1))) {
        for (i++; is_digit(at(p, i)); i++) {
            if (++ndigits > 30)
                too_long = true;
            else {
                v = v * 10 + (at(p, i) - '0');
                den *= 10;
            }
        }
    } else if (at(p, i) == '.' && !is_name_char(at(p, i + 1))) {
        fail(p, p->col, JX_EINPUT, "\"%.*s.\" is not a number (write %.*s or %.*s.0)",
             (int)(i - start > 40 ? 40 : i - start), p->src + start,
             (int)(i - start > 40 ? 40 : i - start), p->src + start,
             (int)(i - start > 40 ? 40 : i - start), p->src + start);
        return;
    }
    if (is_name_char(at(p, i)) || at(p, i) == '.') {
        size_t e = i;
        while (is_name_char(at(p, e)) || at(p, e) == '.')
            e++;
        fail(p, p->col, JX_EINPUT, "\"%.*s\" is not a number%s",
             (int)(e - start > 40 ? 40 : e - start), p->src + start,
             (at(p, i) == 'e' || at(p, i) == 'E') ? " (exponents are not allowed)" : "");
        return;
    }
    if (leading_zero) {
        fail(p, p->col, JX_EINPUT,
             "\"%.*s\" is not a number (a number does not start with 0; "
             "thousands separators such as 30,000 are not allowed)",
             (int)(i - start > 40 ? 40 : i - start), p->src + start);
        return;
    }
    if (too_long) {
        fail(p, p->col, JX_ERANGE, "number \"%.20s...\" has too many digits (at most 30)",
             p->src + start);
        return;
    }
    if (at(p, i) == '%') {
        den *= 100;
        i++;
    }
    /* v < 10^30 and den <= 10^32: both are valid whole rationals. */
    if (jx_rat_div((struct jx_rat){v, 1}, (struct jx_rat){den, 1}, &p->tok.num)) {
        fail(p, p->col, JX_EINTERNAL, "internal error reading a number");
        return;
    }
    p->tok.kind = T_NUM;
    p->tok.len = i - start;
    advance_to(p, i);
}

/* Lex a name or keyword at the current position into p->tok. */
static void lex_name(struct parser *p)
{
    static const struct {
        const char *word;
        enum tok kind;
    } keywords[] = {{"and", T_AND},   {"or", T_OR},       {"not", T_NOT},
                    {"true", T_TRUE}, {"false", T_FALSE}};
    size_t i = p->pos, start = p->pos;
    for (;;) {
        while (is_name_char(at(p, i)))
            i++;
        if (at(p, i) == '.' && is_name_char(at(p, i + 1)))
            i++;
        else
            break;
    }
    if (i - start > JX_EXPR_MAX_NAME) {
        fail(p, p->col, JX_EINPUT, "name \"%.20s...\" is too long (at most %d characters)",
             p->src + start, JX_EXPR_MAX_NAME);
        return;
    }
    p->tok.kind = T_NAME;
    p->tok.len = i - start;
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (strlen(keywords[k].word) == p->tok.len &&
            !memcmp(keywords[k].word, p->src + start, p->tok.len))
            p->tok.kind = keywords[k].kind;
    advance_to(p, i);
}

/* Read the next token into p->tok; T_END at the end or after an error. */
static void next(struct parser *p)
{
    if (p->st) {
        p->tok.kind = T_END;
        return;
    }
    while (p->pos < p->len &&
           (p->src[p->pos] == ' ' || p->src[p->pos] == '\t' || p->src[p->pos] == '\n' ||
            p->src[p->pos] == '\r'))
        advance_to(p, p->pos + 1);
    p->tok.off = p->pos;
    p->tok.col = p->col;
    p->tok.len = 1;
    if (p->pos >= p->len) {
        p->tok.kind = T_END;
        p->tok.len = 0;
        return;
    }
    int c = at(p, p->pos), c2 = at(p, p->pos + 1);
    if (is_digit(c)) {
        lex_number(p);
        return;
    }
    if (is_name_start(c)) {
        lex_name(p);
        return;
    }
    switch (c) {
    case '(':
        p->tok.kind = T_LP;
        break;
    case ')':
        p->tok.kind = T_RP;
        break;
    case ',':
        p->tok.kind = T_COMMA;
        break;
    case '+':
        p->tok.kind = T_PLUS;
        break;
    case '-':
        p->tok.kind = T_MINUS;
        break;
    case '*':
        p->tok.kind = T_STAR;
        break;
    case '/':
        p->tok.kind = T_SLASH;
        break;
    case '<':
        p->tok.kind = c2 == '=' ? T_LE : T_LT;
        break;
    case '>':
        p->tok.kind = c2 == '=' ? T_GE : T_GT;
        break;
    case '=':
        if (c2 != '=') {
            bad_char(p, p->pos);
            return;
        }
        p->tok.kind = T_EQ;
        break;
    case '!':
        if (c2 != '=') {
            bad_char(p, p->pos);
            return;
        }
        p->tok.kind = T_NE;
        break;
    default:
        bad_char(p, p->pos);
        return;
    }
    if (p->tok.kind == T_LE || p->tok.kind == T_GE || p->tok.kind == T_EQ ||
        p->tok.kind == T_NE)
        p->tok.len = 2;
    advance_to(p, p->pos + p->tok.len);
}

/* How to name the current token in a message: "\"x\"" or "the end of the formula". */
static const char *tok_desc(const struct parser *p, char *buf, size_t n)
{
    if (p->tok.kind == T_END)
        return "the end of the formula";
    size_t len = p->tok.len > 40 ? 40 : p->tok.len;
    snprintf(buf, n, "\"%.*s\"", (int)len, p->src + p->tok.off);
    return buf;
}

/* ---- parser --------------------------------------------------------- */

/* A new node; -1 (and an error) when the formula has too many parts. */
static int new_node(struct parser *p, enum op op, int col)
{
    if (p->st)
        return -1;
    if (p->nnodes >= p->cap)
        return fail(p, col, JX_EINPUT, "formula too complex (more than %d parts)",
                    JX_EXPR_MAX_NODES);
    struct node *n = &p->nodes[p->nnodes];
    *n = (struct node){.op = (uint8_t)op, .kid = -1, .next = -1, .arg = -1, .col = col};
    return p->nnodes++;
}

/* A constant node. */
static int const_node(struct parser *p, struct jx_rat v, int col)
{
    int n = new_node(p, OP_CONST, col);
    if (n >= 0) {
        p->nodes[n].is_const = 1;
        p->nodes[n].val = v;
    }
    return n;
}

/* Link kids[0..nk) under node n. */
static void set_kids(struct parser *p, int n, const int *kids, int nk)
{
    p->nodes[n].kid = nk ? kids[0] : -1;
    p->nodes[n].nkids = (uint8_t)nk;
    for (int i = 0; i < nk; i++)
        p->nodes[kids[i]].next = i + 1 < nk ? kids[i + 1] : -1;
}

/*
 * Node op(kids) at column col, computed now when its operands are constant.
 * and/or/if with a constant condition are reduced to the operand chosen.
 */
static int make(struct parser *p, enum op op, int col, const int *kids, int nk, int arg)
{
    struct jx_rat vals[JX_EXPR_MAX_ARGS];
    bool all_const = true;
    const char *why = NULL;

    for (int i = 0; i < nk; i++)
        if (kids[i] < 0)
            return -1;
    if (p->st)
        return -1;
    for (int i = 0; i < nk; i++) {
        all_const &= p->nodes[kids[i]].is_const;
        vals[i] = p->nodes[kids[i]].val;
    }
    if (op == OP_IF && p->nodes[kids[0]].is_const)
        return vals[0].num != 0 ? kids[1] : kids[2];
    if ((op == OP_AND || op == OP_OR) && p->nodes[kids[0]].is_const) {
        if ((vals[0].num == 0) == (op == OP_AND))
            return const_node(p, op == OP_AND ? rat_zero : rat_one, col);
        op = OP_BOOL;
        kids++;
        nk = 1;
        all_const = p->nodes[kids[0]].is_const;
        vals[0] = p->nodes[kids[0]].val;
    }
    if (all_const && op != OP_CALL && op != OP_AND && op != OP_OR && op != OP_IF) {
        struct jx_rat v;
        enum jx_status st = apply(op, vals, nk, &v, &why);
        if (st)
            return fail(p, col, st, "%s", why);
        return const_node(p, v, col);
    }
    if (op == OP_DIV && p->nodes[kids[1]].is_const && vals[1].num == 0)
        return fail(p, col, JX_EINPUT, "division by zero");
    /* Constant digits of round/floor/ceil are checked now, the value later. */
    if ((op == OP_ROUND || op == OP_FLOOR || op == OP_CEIL) && nk == 2 &&
        p->nodes[kids[1]].is_const && digits_of(vals[1]) < 0)
        return fail(p, p->nodes[kids[1]].col, JX_EINPUT,
                    "%s() digits must be a whole number from 0 to %d",
                    op == OP_ROUND ? "round" : op == OP_FLOOR ? "floor" : "ceil",
                    JX_RAT_MAX_DIGITS);
    int n = new_node(p, op, col);
    if (n < 0)
        return -1;
    p->nodes[n].arg = arg;
    set_kids(p, n, kids, nk);
    return n;
}

static int parse_expr(struct parser *p);

/* Enter one more level of nesting; false (and an error) beyond the limit. */
static bool enter(struct parser *p)
{
    if (++p->depth > JX_EXPR_MAX_DEPTH) {
        fail(p, p->tok.col, JX_EINPUT, "formula nested too deeply (more than %d levels)",
             JX_EXPR_MAX_DEPTH);
        return false;
    }
    return true;
}

/* name(args...): a built-in or a host function; the current token is "(". */
static int parse_call(struct parser *p, struct token name)
{
    int kids[JX_EXPR_MAX_ARGS], nk = 0;
    const char *s = p->src + name.off;
    char found[64];

    next(p); /* ( */
    if (p->tok.kind != T_RP) {
        for (;;) {
            if (nk == JX_EXPR_MAX_ARGS)
                return fail(p, p->tok.col, JX_EINPUT, "too many arguments to %.*s (at most %d)",
                            (int)name.len, s, JX_EXPR_MAX_ARGS);
            int k = parse_expr(p);
            if (k < 0)
                return -1;
            kids[nk++] = k;
            if (p->tok.kind == T_COMMA) {
                next(p);
                continue;
            }
            if (p->tok.kind == T_RP)
                break;
            return fail(p, p->tok.col, JX_EINPUT, "expected \")\" after arguments of %.*s, found %s",
                        (int)name.len, s, tok_desc(p, found, sizeof found));
        }
    }
    next(p); /* ) */
    const struct builtin *b = find_builtin(s, name.len);
    if (b) {
        if (nk < b->min_args || nk > b->max_args ||
            (b->op == OP_TIER && nk % 2) || (b->op == OP_PROGRESSIVE && nk % 2 == 0))
            return fail(p, name.col, JX_EINPUT, "%s", b->arity);
        return make(p, b->op, name.col, kids, nk, -1);
    }
    int id = -1;
    if (p->env && p->env->lookup_fn)
        id = p->env->lookup_fn(p->env->ctx, s, name.len, nk);
    if (id < 0) {
        for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
            if (strlen(builtins[i].name) == name.len && !strncasecmp(builtins[i].name, s, name.len))
                return fail(p, name.col, JX_EINPUT,
                            "unknown function \"%.*s\" (functions are in lower case: %s)",
                            (int)name.len, s, builtins[i].name);
        return fail(p, name.col, JX_EINPUT, "unknown function \"%.*s\" with %d argument%s",
                    (int)name.len, s, nk, nk == 1 ? "" : "s");
    }
    return make(p, OP_CALL, name.col, kids, nk, id);
}

/* A number, a name, a call or a parenthesized formula. */
static int parse_primary(struct parser *p)
{
    struct token t = p->tok;
    char found[64];

    switch (t.kind) {
    case T_NUM:
        next(p);
        return const_node(p, t.num, t.col);
    case T_TRUE:
    case T_FALSE:
        next(p);
        return const_node(p, t.kind == T_TRUE ? rat_one : rat_zero, t.col);
    case T_LP: {
        next(p);
        int e = parse_expr(p);
        if (e < 0)
            return -1;
        if (p->tok.kind != T_RP)
            return fail(p, p->tok.col, JX_EINPUT,
                        "expected \")\" to close the \"(\" at column %d, found %s", t.col,
                        tok_desc(p, found, sizeof found));
        next(p);
        return e;
    }
    case T_NAME: {
        next(p);
        if (p->tok.kind == T_LP)
            return parse_call(p, t);
        const char *s = p->src + t.off;
        int slot = -1;
        if (p->st)
            return -1;
        if (p->env && p->env->lookup_var)
            slot = p->env->lookup_var(p->env->ctx, s, t.len);
        if (slot < 0) {
            if (find_builtin(s, t.len))
                return fail(p, t.col, JX_EINPUT,
                            "unknown name \"%.*s\" (%.*s is a function: write %.*s(...))",
                            (int)t.len, s, (int)t.len, s, (int)t.len, s);
            return fail(p, t.col, JX_EINPUT, "unknown name \"%.*s\"", (int)t.len, s);
        }
        int n = new_node(p, OP_VAR, t.col);
        if (n >= 0)
            p->nodes[n].arg = slot;
        return n;
    }
    default:
        if (p->st)
            return -1;
        return fail(p, t.col, JX_EINPUT, "expected a number, a name or \"(\", found %s",
                    tok_desc(p, found, sizeof found));
    }
}

/* Unary minus, right-associative. */
static int parse_unary(struct parser *p)
{
    if (p->tok.kind == T_MINUS) {
        int col = p->tok.col;
        if (!enter(p))
            return -1;
        next(p);
        int k = parse_unary(p);
        p->depth--;
        return make(p, OP_NEG, col, &k, 1, -1);
    }
    return parse_primary(p);
}

/* A left-associative chain of * and /. */
static int parse_mul(struct parser *p)
{
    int l = parse_unary(p);
    while (l >= 0 && (p->tok.kind == T_STAR || p->tok.kind == T_SLASH)) {
        enum op op = p->tok.kind == T_STAR ? OP_MUL : OP_DIV;
        int col = p->tok.col;
        next(p);
        int k[2] = {l, parse_unary(p)};
        l = make(p, op, col, k, 2, -1);
    }
    return l;
}

/* A left-associative chain of + and -. */
static int parse_add(struct parser *p)
{
    int l = parse_mul(p);
    while (l >= 0 && (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS)) {
        enum op op = p->tok.kind == T_PLUS ? OP_ADD : OP_SUB;
        int col = p->tok.col;
        next(p);
        int k[2] = {l, parse_mul(p)};
        l = make(p, op, col, k, 2, -1);
    }
    return l;
}

/* The comparison operator of token kind t, or -1. */
static int cmp_op(enum tok t)
{
    switch (t) {
    case T_LT:
        return OP_LT;
    case T_LE:
        return OP_LE;
    case T_GT:
        return OP_GT;
    case T_GE:
        return OP_GE;
    case T_EQ:
        return OP_EQ;
    case T_NE:
        return OP_NE;
    default:
        return -1;
    }
}

/* At most one comparison: "a < b < c" is refused rather than misread. */
static int parse_cmp(struct parser *p)
{
    int l = parse_add(p), op = cmp_op(p->tok.kind);
    if (l < 0 || op < 0)
        return l;
    int col = p->tok.col;
    next(p);
    int k[2] = {l, parse_add(p)};
    l = make(p, (enum op)op, col, k, 2, -1);
    if (l >= 0 && cmp_op(p->tok.kind) >= 0)
        return fail(p, p->tok.col, JX_EINPUT,
                    "comparisons do not chain (write a < b and b < c)");
    return l;
}

/* not, right-associative, looser than comparisons: "not a == b" is not (a == b). */
static int parse_not(struct parser *p)
{
    if (p->tok.kind == T_NOT) {
        int col = p->tok.col;
        if (!enter(p))
            return -1;
        next(p);
        int k = parse_not(p);
        p->depth--;
        return make(p, OP_NOT, col, &k, 1, -1);
    }
    return parse_cmp(p);
}

/* A left-associative chain of and. */
static int parse_and(struct parser *p)
{
    int l = parse_not(p);
    while (l >= 0 && p->tok.kind == T_AND) {
        int col = p->tok.col;
        next(p);
        int k[2] = {l, parse_not(p)};
        l = make(p, OP_AND, col, k, 2, -1);
    }
    return l;
}

/* A whole formula, or an argument: a left-associative chain of or. */
static int parse_expr(struct parser *p)
{
    if (!enter(p))
        return -1;
    int l = parse_and(p);
    while (l >= 0 && p->tok.kind == T_OR) {
        int col = p->tok.col;
        next(p);
        int k[2] = {l, parse_and(p)};
        l = make(p, OP_OR, col, k, 2, -1);
    }
    p->depth--;
    return l;
}

/* ---- code generation ------------------------------------------------ */

struct gen {
    struct parser *p;
    struct insn *code;
    int32_t *cols;
    int ncode, cap;
    struct jx_rat *pool;
    int npool;
    int depth, max_depth;
};

/* Append an instruction; its index. */
static int emit(struct gen *g, enum op op, int n, int32_t arg, int col)
{
    g->code[g->ncode] = (struct insn){(uint8_t)op, (uint8_t)n, arg};
    g->cols[g->ncode] = col;
    return g->ncode++;
}

/* Account for a push (d > 0) or pops (d < 0) on the value stack. */
static void stack(struct gen *g, int d)
{
    g->depth += d;
    if (g->depth > g->max_depth)
        g->max_depth = g->depth;
}

/*
 * Emit node n, which leaves one value on the stack.  The recursion is as
 * deep as the tree, at most JX_EXPR_MAX_NODES.
 */
static void gen_node(struct gen *g, int n)
{
    const struct node *nd = &g->p->nodes[n];
    int j1, j2, nk = 0;

    switch (nd->op) {
    case OP_CONST:
        g->pool[g->npool] = nd->val;
        emit(g, OP_CONST, 0, g->npool++, nd->col);
        stack(g, 1);
        return;
    case OP_VAR:
        emit(g, OP_VAR, 0, nd->arg, nd->col);
        stack(g, 1);
        return;
    case OP_AND:
    case OP_OR:
        gen_node(g, nd->kid);
        j1 = emit(g, nd->op == OP_AND ? OP_JFK : OP_JTK, 0, 0, nd->col);
        stack(g, -1);
        gen_node(g, g->p->nodes[nd->kid].next);
        emit(g, OP_BOOL, 1, 0, nd->col);
        g->code[j1].arg = g->ncode;
        return;
    case OP_IF: {
        int c = nd->kid, a = g->p->nodes[c].next, b = g->p->nodes[a].next;
        gen_node(g, c);
        j1 = emit(g, OP_JF, 0, 0, nd->col);
        stack(g, -1);
        gen_node(g, a);
        j2 = emit(g, OP_JMP, 0, 0, nd->col);
        stack(g, -1);
        g->code[j1].arg = g->ncode;
        gen_node(g, b);
        g->code[j2].arg = g->ncode;
        return;
    }
    default:
        for (int k = nd->kid; k >= 0; k = g->p->nodes[k].next, nk++)
            gen_node(g, k);
        emit(g, (enum op)nd->op, nk, nd->arg, nd->col);
        stack(g, 1 - nk);
        return;
    }
}

/* ---- compile -------------------------------------------------------- */

/* Offset rounded up to a multiple of 16. */
static size_t align16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

/* Build the compiled formula from the generated code, in one allocation. */
static enum jx_status finish(struct gen *g, struct jx_expr **out, struct jx_err *err)
{
    int nvars = 0, ncalls = 0;
    for (int i = 0; i < g->ncode; i++) {
        nvars += g->code[i].op == OP_VAR;
        ncalls += g->code[i].op == OP_CALL;
    }
    size_t o_pool = align16(sizeof(struct jx_expr));
    size_t o_code = o_pool + (size_t)g->npool * sizeof(struct jx_rat);
    size_t o_cols = o_code + (size_t)g->ncode * sizeof(struct insn);
    size_t o_deps = o_cols + (size_t)g->ncode * sizeof(int32_t);
    size_t o_calls = o_deps + (size_t)nvars * sizeof(int);
    size_t size = o_calls + (size_t)ncalls * sizeof(int);
    unsigned char *mem = jx_malloc(size);
    if (!mem)
        return jx_err_set(err, JX_ENOMEM, "out of memory compiling a formula");

    struct jx_expr *e = (struct jx_expr *)mem;
    struct jx_rat *pool = (struct jx_rat *)(mem + o_pool);
    struct insn *code = (struct insn *)(mem + o_code);
    int32_t *cols = (int32_t *)(mem + o_cols);
    int *deps = (int *)(mem + o_deps), *calls = (int *)(mem + o_calls);
    memcpy(pool, g->pool, (size_t)g->npool * sizeof *pool);
    memcpy(code, g->code, (size_t)g->ncode * sizeof *code);
    memcpy(cols, g->cols, (size_t)g->ncode * sizeof *cols);
    *e = (struct jx_expr){.ncode = g->ncode, .npool = g->npool, .max_slot = -1, .code = code,
                          .cols = cols, .pool = pool, .deps = deps, .calls = calls};
    for (int i = 0; i < g->ncode; i++) {
        int op = code[i].op, v = code[i].arg, *list = op == OP_VAR ? deps : calls;
        int *count = op == OP_VAR ? &e->ndeps : &e->ncalls;
        if (op != OP_VAR && op != OP_CALL)
            continue;
        if (op == OP_VAR && v > e->max_slot)
            e->max_slot = v;
        int k = 0;
        while (k < *count && list[k] != v)
            k++;
        if (k == *count)
            list[(*count)++] = v;
    }
    *out = e;
    return JX_OK;
}

enum jx_status jx_expr_compile(const char *src, size_t len, const struct jx_expr_env *env,
                               struct jx_expr **out, struct jx_err *err)
{
    struct parser p = {.src = src, .len = len, .col = 1, .env = env, .err = err};
    struct gen g = {.p = &p};
    enum jx_status st;

    if (!src && len)
        return jx_err_set(err, JX_EINPUT, "column 1: no formula");
    if (len > JX_EXPR_MAX_SRC)
        return jx_err_set(err, JX_EINPUT, "column 1: formula too long (%zu bytes, at most %d)",
                          len, JX_EXPR_MAX_SRC);
    /* Every node but the folded ones is at most one token: len + 1 is plenty. */
    size_t cap = len + 2 < JX_EXPR_MAX_NODES ? len + 2 : JX_EXPR_MAX_NODES;
    p.nodes = jx_malloc(cap * sizeof *p.nodes);
    p.cap = (int)cap;
    if (!p.nodes)
        return jx_err_set(err, JX_ENOMEM, "out of memory compiling a formula");

    next(&p);
    if (p.tok.kind == T_END && !p.st)
        fail(&p, p.tok.col, JX_EINPUT, "empty formula");
    int root = parse_expr(&p);
    if (root >= 0 && p.tok.kind != T_END) {
        char found[64];
        tok_desc(&p, found, sizeof found);
        if (p.tok.kind == T_RP)
            fail(&p, p.tok.col, JX_EINPUT, "unexpected \")\" (no \"(\" to close)");
        else if (p.tok.kind == T_COMMA)
            fail(&p, p.tok.col, JX_EINPUT,
                 "unexpected \",\" outside the arguments of a function (thousands separators "
                 "such as 30,000 are not allowed)");
        else
            fail(&p, p.tok.col, JX_EINPUT, "unexpected %s (is an operator missing before it?)",
                 found);
    }
    if (p.st) {
        free(p.nodes);
        return p.st;
    }

    /* Each node makes at most two instructions (and/or: jump + bool; if: two jumps). */
    g.cap = 2 * p.nnodes + 1;
    g.code = jx_malloc((size_t)g.cap * sizeof *g.code);
    g.cols = jx_malloc((size_t)g.cap * sizeof *g.cols);
    g.pool = jx_malloc((size_t)p.nnodes * sizeof *g.pool);
    if (!g.code || !g.cols || !g.pool) {
        st = jx_err_set(err, JX_ENOMEM, "out of memory compiling a formula");
        goto done;
    }
    gen_node(&g, root);
    if (g.max_depth > JX_EXPR_MAX_STACK) {
        st = jx_err_set(err, JX_EINPUT,
                        "column 1: formula too complex (it holds more than %d values at once)",
                        JX_EXPR_MAX_STACK);
        goto done;
    }
    st = finish(&g, out, err);
done:
    free(g.code);
    free(g.cols);
    free(g.pool);
    free(p.nodes);
    return st;
}

void jx_expr_free(struct jx_expr *e)
{
    free(e);
}

/* ---- evaluation ----------------------------------------------------- */

/* Fail evaluation at instruction pc with "column N: message". */
static enum jx_status eval_fail(const struct jx_expr *e, int pc, struct jx_err *err,
                                enum jx_status st, const char *msg)
{
    return jx_err_set(err, st, "column %d: %s", (int)e->cols[pc], msg);
}

enum jx_status jx_expr_eval(const struct jx_expr *e, struct jx_expr_vm *vm, struct jx_rat *out,
                            struct jx_err *err)
{
    struct jx_rat st[JX_EXPR_MAX_STACK];
    const struct insn *code = e->code;
    const struct jx_rat *vars = vm->vars;
    long steps = vm->steps_left;
    int sp = 0, pc = 0;
    enum jx_status s;
    const char *why = "";

    if (e->max_slot >= 0 && !vars)
        return jx_err_set(err, JX_EINTERNAL, "formula evaluated without its variables");
    for (; pc < e->ncode; pc++) {
        const struct insn *in = &code[pc];
        if (steps <= 0) {
            vm->steps_left = 0;
            return eval_fail(e, pc, err, JX_ERANGE, "evaluation step limit exceeded");
        }
        steps--;
        switch ((enum op)in->op) {
        case OP_CONST:
            st[sp++] = e->pool[in->arg];
            break;
        case OP_VAR:
            st[sp++] = vars[in->arg];
            break;
        case OP_JF:
            if (st[--sp].num == 0)
                pc = in->arg - 1;
            break;
        case OP_JMP:
            pc = in->arg - 1;
            break;
        case OP_JFK:
            if (st[sp - 1].num == 0)
                pc = in->arg - 1;
            else
                sp--;
            break;
        case OP_JTK:
            if (st[sp - 1].num != 0) {
                st[sp - 1] = rat_one;
                pc = in->arg - 1;
            } else
                sp--;
            break;
        case OP_CALL: {
            struct jx_rat r;
            sp -= in->n;
            if (!vm->call) {
                vm->steps_left = steps;
                return eval_fail(e, pc, err, JX_EINTERNAL, "no host functions to call");
            }
            if ((s = vm->call(vm->ctx, in->arg, &st[sp], in->n, &r, err))) {
                char msg[sizeof err->msg];
                vm->steps_left = steps;
                if (!err)
                    return s;
                snprintf(msg, sizeof msg, "%s", err->msg[0] ? err->msg : "function failed");
                return eval_fail(e, pc, err, s, msg);
            }
            if (r.den <= 0 || r.num == INT128_MIN_) {
                vm->steps_left = steps;
                return eval_fail(e, pc, err, JX_EINTERNAL,
                                 "internal error: a function returned an invalid number");
            }
            st[sp++] = r;
            break;
        }
        case OP_ADD:
        case OP_SUB:
        case OP_MUL: {
            /* Whole numbers (money in yuan without fen, counts) skip rat.c. */
            struct jx_rat *a = &st[sp - 2], *b = &st[sp - 1];
            if (a->den == 1 && b->den == 1) {
                bool ovf = in->op == OP_ADD   ? __builtin_add_overflow(a->num, b->num, &a->num)
                           : in->op == OP_SUB ? __builtin_sub_overflow(a->num, b->num, &a->num)
                                              : __builtin_mul_overflow(a->num, b->num, &a->num);
                if (ovf || a->num == INT128_MIN_) {
                    s = JX_ERANGE;
                    why = overflow_msg;
                    goto fail;
                }
                sp--;
                break;
            }
            s = in->op == OP_ADD   ? jx_rat_add(*a, *b, a)
                : in->op == OP_SUB ? jx_rat_sub(*a, *b, a)
                                   : jx_rat_mul(*a, *b, a);
            if (s) {
                why = overflow_msg;
                goto fail;
            }
            sp--;
            break;
        }
        case OP_LT:
        case OP_LE:
        case OP_GT:
        case OP_GE: {
            struct jx_rat *a = &st[sp - 2], *b = &st[sp - 1];
            int c = a->den == b->den ? (a->num > b->num) - (a->num < b->num) : jx_rat_cmp(*a, *b);
            bool t = in->op == OP_LT ? c < 0 : in->op == OP_LE ? c <= 0 : in->op == OP_GT ? c > 0
                                                                                          : c >= 0;
            *a = t ? rat_one : rat_zero;
            sp--;
            break;
        }
        case OP_DIV:
        case OP_EQ:
        case OP_NE:
        case OP_ROUND:
            sp -= 2;
            if ((s = apply((enum op)in->op, &st[sp], 2, &st[sp], &why)))
                goto fail;
            sp++;
            break;
        case OP_NEG:
        case OP_NOT:
        case OP_BOOL:
        case OP_ABS:
            if ((s = apply((enum op)in->op, &st[sp - 1], 1, &st[sp - 1], &why)))
                goto fail;
            break;
        case OP_CLAMP:
            sp -= 3;
            if ((s = apply(OP_CLAMP, &st[sp], 3, &st[sp], &why)))
                goto fail;
            sp++;
            break;
        default: /* MIN, MAX, FLOOR, CEIL: n arguments */
            sp -= in->n;
            if ((s = apply((enum op)in->op, &st[sp], in->n, &st[sp], &why)))
                goto fail;
            sp++;
            break;
        }
    }
    vm->steps_left = steps;
    *out = st[0];
    return JX_OK;
fail:
    vm->steps_left = steps;
    return eval_fail(e, pc, err, s, why);
}

void jx_expr_deps(const struct jx_expr *e, void (*fn)(void *ctx, int slot), void *ctx)
{
    for (int i = 0; i < e->ndeps; i++)
        fn(ctx, e->deps[i]);
}

void jx_expr_calls(const struct jx_expr *e, void (*fn)(void *ctx, int id), void *ctx)
{
    for (int i = 0; i < e->ncalls; i++)
        fn(ctx, e->calls[i]);
}

bool jx_expr_is_const(const struct jx_expr *e)
{
    return e->ncode == 1 && e->code[0].op == OP_CONST;
}

int jx_expr_max_slot(const struct jx_expr *e)
{
    return e->max_slot;
}

long jx_expr_cost(const struct jx_expr *e)
{
    return e->ncode;
}
