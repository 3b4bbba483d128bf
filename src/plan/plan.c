/*
 * plan.c - loading a plan file: YAML (libyaml's document API) to a checked,
 * compiled struct jx_plan.
 *
 * The loader walks the document once, top-level key by key; each section
 * has its own function.  Names are resolved while compiling formulas
 * (resolve_var); the order of evaluation of the named values is found by a
 * depth-first search that also reports cycles.
 */
#include "plan/plan.h"

#include <sodium.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/arena.h"
#include "plan/expr.h"

#define MAX_PLAN_BYTES (1024 * 1024)
#define MAX_NAMES 512

struct loader {
    struct jx_plan *p;
    struct jx_arena *arena;
    yaml_document_t doc;
    struct jx_err *err;
    /* names declared so far; value names are known before any formula compiles */
    const char *value_names[MAX_NAMES];
    int value_lines[MAX_NAMES];
    yaml_node_t *value_nodes[MAX_NAMES];
    size_t nvalue_names;
    int value_slot0; /* slot of the first value; the others follow */
};

/* Fail at the line of node n (1-based), with a message. */
static enum jx_status failf(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum jx_status failf(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    if (l->err) {
        va_start(ap, fmt);
        vsnprintf(l->err->msg, sizeof l->err->msg, fmt, ap);
        va_end(ap);
        jx_err_at(l->err, l->p->file, n ? (long)n->start_mark.line + 1 : 0, NULL);
    }
    return JX_EINPUT;
}

static enum jx_status oom(struct loader *l)
{
    return jx_err_set(l->err, JX_ENOMEM, "out of memory loading %s", l->p->file);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A copy of scalar n in the plan's arena (the document is freed after loading). */
static const char *keep(struct loader *l, const yaml_node_t *n)
{
    const char *v = scalar(n);
    return v ? jx_arena_strndup(l->arena, v, n->data.scalar.length) : NULL;
}

static bool scalar_is(const yaml_node_t *n, const char *s)
{
    const char *v = scalar(n);
    return v && !strcmp(v, s);
}

static yaml_node_t *node(struct loader *l, int id)
{
    return yaml_document_get_node(&l->doc, id);
}

/* The value of key in mapping m, or NULL. */
static yaml_node_t *get(struct loader *l, yaml_node_t *m, const char *key)
{
    if (!m || m->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top; pr++)
        if (scalar_is(node(l, pr->key), key))
            return node(l, pr->value);
    return NULL;
}

/* Check that mapping m has only the allowed keys (NULL-terminated). */
static enum jx_status only_keys(struct loader *l, yaml_node_t *m, const char *section,
                                const char *const *allowed)
{
    if (m->type != YAML_MAPPING_NODE)
        return failf(l, m, "%s must be a mapping (key: value lines)", section);
    for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node(l, pr->key);
        const char *ks = scalar(k);
        bool ok = false;
        for (const char *const *a = allowed; ks && *a; a++)
            ok |= !strcmp(*a, ks);
        if (!ok) {
            char list[256] = "";
            size_t n = 0;
            for (const char *const *a = allowed; *a && n < sizeof list; a++)
                n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *a);
            return failf(l, k, "unknown key \"%s\" in %s (expected one of: %s)",
                         ks ? ks : "?", section, list);
        }
        for (yaml_node_pair_t *q = m->data.mapping.pairs.start; q < pr; q++)
            if (scalar_is(node(l, q->key), ks))
                return failf(l, k, "key \"%s\" given twice in %s", ks, section);
    }
    return JX_OK;
}

static bool is_ident(const char *s)
{
    if (!s || !*s || !((*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* ---- names ---------------------------------------------------------- */

/* Slot of a family name such as rating.composite, adding it on first use. */
static int family_slot(struct loader *l, int family, const char *item, size_t len)
{
    struct jx_plan *p = l->p;
    for (size_t i = 0; i < p->nfamily_vars; i++)
        if (p->family_vars[i].family == family && strlen(p->family_vars[i].item) == len &&
            !memcmp(p->family_vars[i].item, item, len))
            return p->family_vars[i].slot;
    if (p->nfamily_vars >= MAX_NAMES)
        return -1;
    if (p->nfamily_vars % 16 == 0) {
        struct jx_plan_family_var *v = jx_realloc(p->family_vars, (p->nfamily_vars + 16) * sizeof *v);
        if (!v)
            return -1;
        p->family_vars = v;
    }
    const char *copy = jx_arena_strndup(l->arena, item, len);
    if (!copy)
        return -1;
    p->family_vars[p->nfamily_vars] =
        (struct jx_plan_family_var){family, copy, p->nslots};
    p->nfamily_vars++;
    return p->nslots++;
}

/* Resolve a name in a formula to its slot; -1 when unknown. */
static int resolve_var(void *ctx, const char *name, size_t len)
{
    struct loader *l = ctx;
    struct jx_plan *p = l->p;
    int v = jx_var_lookup(name, len);
    if (v >= 0) {
        p->uses[v] = true; /* every formula is compiled through here */
        return v;
    }
    for (size_t i = 0; i < p->nparams; i++)
        if (strlen(p->params[i].name) == len && !memcmp(p->params[i].name, name, len))
            return p->params[i].slot;
    for (size_t i = 0; i < l->nvalue_names; i++)
        if (strlen(l->value_names[i]) == len && !memcmp(l->value_names[i], name, len))
            return l->value_slot0 + (int)i;
    for (int f = 0; f < JX_VF_COUNT; f++) {
        size_t fl = strlen(jx_var_families[f]);
        if (len > fl && !memcmp(name, jx_var_families[f], fl))
            return family_slot(l, f, name + fl, len - fl);
    }
    return -1;
}

static int resolve_fn(void *ctx, const char *name, size_t len, int nargs)
{
    (void)ctx;
    (void)name;
    (void)len;
    (void)nargs;
    return -1; /* no host functions: aggregates are variables */
}

/* Compile the formula in scalar node n into f (name is kept by the caller). */
static enum jx_status compile(struct loader *l, yaml_node_t *n, const char *name,
                              struct jx_plan_formula *f)
{
    const char *src = keep(l, n);
    struct jx_expr_env env = {l, resolve_var, resolve_fn};
    struct jx_err e;
    if (!scalar(n))
        return failf(l, n, "%s: expected a formula", name);
    if (!src)
        return oom(l);
    f->name = name;
    f->src = src;
    /* the formula on one line, for traces */
    char *one = jx_arena_alloc(l->arena, strlen(src) + 1);
    if (!one)
        return oom(l);
    size_t w = 0;
    for (const char *p = src; *p; p++) {
        bool space = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
        if (space && (w == 0 || one[w - 1] == ' '))
            continue;
        one[w++] = space ? ' ' : *p;
    }
    while (w > 0 && one[w - 1] == ' ')
        w--;
    one[w] = '\0';
    f->line_src = one;
    f->line = (int)n->start_mark.line + 1;
    f->slot = -1;
    jx_err_clear(&e);
    if (memchr(src, '\0', n->data.scalar.length))
        return failf(l, n, "%s: a formula may not contain a NUL character", name);
    enum jx_status st = jx_expr_compile(src, n->data.scalar.length, &env, &f->expr, &e);
    if (st) {
        f->expr = NULL;
        if (st == JX_ENOMEM)
            return oom(l);
        return failf(l, n, "%s: %s", name, e.msg);
    }
    return JX_OK;
}

/* Evaluate a constant formula (a parameter's value or bound). */
static enum jx_status constant(struct loader *l, yaml_node_t *n, const char *what,
                               struct jx_rat *out)
{
    struct jx_plan_formula f;
    struct jx_err e;
    enum jx_status st;
    struct jx_rat none[1];
    struct jx_expr_vm vm = {.vars = none, .steps_left = 10000};
    if ((st = compile(l, n, what, &f)))
        return st;
    jx_err_clear(&e);
    st = jx_expr_is_const(f.expr) ? jx_expr_eval(f.expr, &vm, out, &e) : JX_EINPUT;
    jx_expr_free(f.expr);
    if (st)
        return failf(l, n, "%s: must be a number (%s)", what,
                     e.msg[0] ? e.msg : "names are not allowed here");
    return JX_OK;
}

/* ---- sections ------------------------------------------------------- */

static enum jx_status load_applies_to(struct loader *l, yaml_node_t *n)
{
    static const char *const keys[] = {"roles", "units", NULL};
    static const char *const roles[] = {"rep",     "manager",  "director", "hr",
                                        "finance", "engineer", "admin",    NULL};
    enum jx_status st;
    if ((st = only_keys(l, n, "applies_to", keys)))
        return st;
    yaml_node_t *r = get(l, n, "roles"), *u = get(l, n, "units");
    if (r) {
        if (r->type != YAML_SEQUENCE_NODE)
            return failf(l, r, "applies_to.roles must be a list such as [rep, manager]");
        for (yaml_node_item_t *it = r->data.sequence.items.start; it < r->data.sequence.items.top;
             it++) {
            yaml_node_t *x = node(l, *it);
            int k = -1;
            for (int i = 0; roles[i]; i++)
                if (scalar_is(x, roles[i]))
                    k = i;
            if (k < 0)
                return failf(l, x, "unknown role \"%s\" (expected rep, manager, director, hr, "
                                   "finance, engineer or admin)",
                             scalar(x) ? scalar(x) : "?");
            l->p->roles |= 1u << k;
        }
    }
    if (u) {
        if (u->type != YAML_SEQUENCE_NODE)
            return failf(l, u, "applies_to.units must be a list of unit ids");
        size_t n_units = (size_t)(u->data.sequence.items.top - u->data.sequence.items.start);
        l->p->units = jx_arena_calloc(l->arena, n_units, sizeof *l->p->units);
        if (!l->p->units)
            return oom(l);
        for (yaml_node_item_t *it = u->data.sequence.items.start; it < u->data.sequence.items.top;
             it++) {
            const char *id = keep(l, node(l, *it));
            if (!id || !*id)
                return failf(l, node(l, *it), "applies_to.units: expected a unit id");
            l->p->units[l->p->nunits++] = id;
        }
    }
    return JX_OK;
}

static enum jx_status load_parameters(struct loader *l, yaml_node_t *n)
{
    struct jx_plan *p = l->p;
    enum jx_status st;
    if (n->type != YAML_MAPPING_NODE)
        return failf(l, n, "parameters must be a mapping (name: value)");
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (count > MAX_NAMES)
        return failf(l, n, "too many parameters (at most %d)", MAX_NAMES);
    p->params = jx_arena_calloc(l->arena, count, sizeof *p->params);
    if (!p->params)
        return oom(l);
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node(l, pr->key), *v = node(l, pr->value);
        const char *name = keep(l, k);
        struct jx_plan_param *pm = &p->params[p->nparams];
        if (!is_ident(name))
            return failf(l, k, "parameter name \"%s\" must be lower case letters, digits and _",
                         name ? name : "?");
        if (jx_var_lookup(name, strlen(name)) >= 0)
            return failf(l, k, "parameter \"%s\" hides the built-in variable of that name",
                         name);
        for (size_t i = 0; i < p->nparams; i++)
            if (!strcmp(p->params[i].name, name))
                return failf(l, k, "parameter \"%s\" is defined twice", name);
        pm->name = name;
        pm->line = (int)k->start_mark.line + 1;
        if (v->type == YAML_SCALAR_NODE) {
            if ((st = constant(l, v, name, &pm->value)))
                return st;
            pm->min = pm->max = pm->value;
        } else {
            static const char *const keys[] = {"value", "min", "max", NULL};
            yaml_node_t *val = get(l, v, "value"), *mn = get(l, v, "min"), *mx = get(l, v, "max");
            if ((st = only_keys(l, v, name, keys)))
                return st;
            if (!val)
                return failf(l, v, "parameter \"%s\" needs a value", name);
            if ((st = constant(l, val, name, &pm->value)))
                return st;
            pm->min = pm->max = pm->value;
            if (mn && (st = constant(l, mn, "min", &pm->min)))
                return st;
            if (mx && (st = constant(l, mx, "max", &pm->max)))
                return st;
            if (jx_rat_cmp(pm->value, pm->min) < 0 || jx_rat_cmp(pm->value, pm->max) > 0) {
                char a[64], b[64], c[64];
                return failf(l, val, "parameter \"%s\" = %s is outside its range %s to %s", name,
                             jx_rat_format(pm->value, 6, a), jx_rat_format(pm->min, 6, b),
                             jx_rat_format(pm->max, 6, c));
            }
        }
        pm->slot = p->nslots++;
        p->nparams++;
    }
    return JX_OK;
}

/* Collect the names of the values first, so formulas may refer to later ones. */
static enum jx_status declare_values(struct loader *l, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return failf(l, n, "values must be a mapping (name: formula)");
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node(l, pr->key);
        const char *name = keep(l, k);
        if (!is_ident(name))
            return failf(l, k, "value name \"%s\" must be lower case letters, digits and _",
                         name ? name : "?");
        if (jx_var_lookup(name, strlen(name)) >= 0)
            return failf(l, k, "value \"%s\" hides the built-in variable of that name", name);
        for (size_t i = 0; i < l->p->nparams; i++)
            if (!strcmp(l->p->params[i].name, name))
                return failf(l, k, "\"%s\" is both a parameter and a value", name);
        for (size_t i = 0; i < l->nvalue_names; i++)
            if (!strcmp(l->value_names[i], name))
                return failf(l, k, "value \"%s\" is defined twice", name);
        if (l->nvalue_names >= MAX_NAMES)
            return failf(l, k, "too many values (at most %d)", MAX_NAMES);
        l->value_lines[l->nvalue_names] = (int)k->start_mark.line + 1;
        l->value_nodes[l->nvalue_names] = node(l, pr->value);
        l->value_names[l->nvalue_names++] = name;
    }
    l->value_slot0 = l->p->nslots;
    l->p->nslots += (int)l->nvalue_names;
    return JX_OK;
}

static enum jx_status load_values(struct loader *l)
{
    struct jx_plan *p = l->p;
    enum jx_status st;
    p->values = jx_arena_calloc(l->arena, l->nvalue_names, sizeof *p->values);
    if (!p->values && l->nvalue_names)
        return oom(l);
    for (size_t i = 0; i < l->nvalue_names; i++) {
        if ((st = compile(l, l->value_nodes[i], l->value_names[i], &p->values[i])))
            return st;
        if (!(p->values[i].trace_key = jx_arena_printf(l->arena, "value.%s", p->values[i].name)))
            return oom(l);
        p->values[i].slot = l->value_slot0 + (int)i;
        p->nvalues++;
    }
    return JX_OK;
}

static enum jx_status load_commission(struct loader *l, yaml_node_t *n)
{
    static const char *const keys[] = {"model", "base_rate", "excess_rate", "multiplier", NULL};
    struct jx_plan *p = l->p;
    enum jx_status st;
    if ((st = only_keys(l, n, "commission", keys)))
        return st;
    yaml_node_t *m = get(l, n, "model");
    if (!scalar_is(m, "two_tier"))
        return failf(l, m ? m : n, "commission.model must be two_tier");
    yaml_node_t *br = get(l, n, "base_rate"), *er = get(l, n, "excess_rate"),
                *mu = get(l, n, "multiplier");
    if (!br || !er || !mu)
        return failf(l, n, "commission needs base_rate, excess_rate and multiplier");
    if ((st = compile(l, br, "commission.base_rate", &p->commission_base_rate)) ||
        (st = compile(l, er, "commission.excess_rate", &p->commission_excess_rate)) ||
        (st = compile(l, mu, "commission.multiplier", &p->commission_multiplier)))
        return st;
    /* A contract's own excess rate must lie in the range of the parameter named. */
    p->excess_min = jx_rat_from_int(0);
    p->excess_max = jx_rat_from_int(1);
    for (size_t i = 0; i < p->nparams; i++)
        if (scalar_is(er, p->params[i].name)) {
            p->excess_min = p->params[i].min;
            p->excess_max = p->params[i].max;
        }
    p->has_commission = true;
    p->commission_line = (int)n->start_mark.line + 1;
    return JX_OK;
}

static enum jx_status load_above_price(struct loader *l, yaml_node_t *n)
{
    static const char *const keys[] = {"vat", "share", NULL};
    struct jx_plan *p = l->p;
    enum jx_status st;
    if ((st = only_keys(l, n, "above_price_share", keys)))
        return st;
    yaml_node_t *vat = get(l, n, "vat"), *share = get(l, n, "share");
    if (!vat || !share)
        return failf(l, n, "above_price_share needs vat and share");
    if ((st = constant(l, vat, "vat", &p->vat)) || (st = constant(l, share, "share", &p->share)))
        return st;
    if (jx_rat_cmp(p->vat, jx_rat_from_int(0)) < 0 || jx_rat_cmp(p->vat, jx_rat_from_int(1)) > 0)
        return failf(l, vat, "vat must be between 0%% and 100%%");
    if (jx_rat_cmp(p->share, jx_rat_from_int(0)) < 0 ||
        jx_rat_cmp(p->share, jx_rat_from_int(1)) > 0)
        return failf(l, share, "share must be between 0%% and 100%%");
    p->has_above_price = true;
    p->above_price_line = (int)n->start_mark.line + 1;
    return JX_OK;
}

static const char *const pay_names[JX_PAY_PARTS] = {"base", "commission", "bonus", "deductions"};

static enum jx_status load_pay(struct loader *l, yaml_node_t *n)
{
    static const char *const keys[] = {"base", "commission", "bonus", "deductions",
                                       "deduction_cap", NULL};
    struct jx_plan *p = l->p;
    enum jx_status st;
    if ((st = only_keys(l, n, "pay", keys)))
        return st;
    for (int i = 0; i < JX_PAY_PARTS; i++) {
        yaml_node_t *f = get(l, n, pay_names[i]);
        if (!f)
            return failf(l, n, "pay needs %s (write 0 when there is none)", pay_names[i]);
        char *name = jx_arena_printf(l->arena, "pay.%s", pay_names[i]);
        if (!name)
            return oom(l);
        if ((st = compile(l, f, name, &p->pay[i])))
            return st;
    }
    yaml_node_t *cap = get(l, n, "deduction_cap");
    if (cap) {
        if ((st = constant(l, cap, "deduction_cap", &p->deduction_cap)))
            return st;
        if (jx_rat_cmp(p->deduction_cap, jx_rat_from_int(0)) < 0 ||
            jx_rat_cmp(p->deduction_cap, jx_rat_from_int(1)) > 0)
            return failf(l, cap, "deduction_cap must be between 0%% and 100%%");
    }
    p->has_pay = true;
    return JX_OK;
}

static enum jx_status load_flags(struct loader *l, yaml_node_t *n)
{
    struct jx_plan *p = l->p;
    enum jx_status st;
    if (n->type != YAML_MAPPING_NODE)
        return failf(l, n, "flags must be a mapping (flag_name: condition)");
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    p->flags = jx_arena_calloc(l->arena, count, sizeof *p->flags);
    if (!p->flags && count)
        return oom(l);
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = node(l, pr->key);
        if (!is_ident(scalar(k)))
            return failf(l, k, "flag name must be lower case letters, digits and _");
        struct jx_plan_formula *f = &p->flags[p->nflags];
        if ((st = compile(l, node(l, pr->value), keep(l, k), f)))
            return st;
        if (!(f->trace_key = jx_arena_printf(l->arena, "flag.%s", f->name)))
            return oom(l);
        p->nflags++;
    }
    return JX_OK;
}


/* ---- scorecard ------------------------------------------------------ */

static const char *const rater_roles[JX_RATER_ROLES + 1] = {"self",       "superior", "peer",
                                                            "customer",   "cross_dept", "hr",
                                                            NULL};
static const char *const grade_names[JX_GRADES] = {"S", "A", "B", "C", "D"};

/* A constant that must lie in [lo, hi]. */
static enum jx_status constant_in(struct loader *l, yaml_node_t *n, const char *what,
                                  struct jx_rat lo, struct jx_rat hi, struct jx_rat *out)
{
    enum jx_status st = constant(l, n, what, out);
    char a[64], b[64];
    if (st)
        return st;
    if (jx_rat_cmp(*out, lo) < 0 || jx_rat_cmp(*out, hi) > 0)
        return failf(l, n, "%s must be between %s and %s", what, jx_rat_format(lo, 2, a),
                     jx_rat_format(hi, 2, b));
    return JX_OK;
}

/* A whole number in [lo, hi]. */
static enum jx_status whole_in(struct loader *l, yaml_node_t *n, const char *what, int lo, int hi,
                               int *out)
{
    struct jx_rat v;
    enum jx_status st = constant(l, n, what, &v);
    if (st)
        return st;
    if (v.den != 1 || v.num < lo || v.num > hi)
        return failf(l, n, "%s must be a whole number from %d to %d", what, lo, hi);
    *out = (int)v.num;
    return JX_OK;
}

/* One item of the kpi: or qualitative: section. */
static enum jx_status load_sc_item(struct loader *l, yaml_node_t *k, yaml_node_t *v,
                                   bool qualitative, struct jx_sc_item *it)
{
    static const char *const keys[] = {"weight", "actual", "target", "better", "score",
                                       "rating", "raters", NULL};
    const char *sec = qualitative ? "scorecard.qualitative" : "scorecard.kpi";
    enum jx_status st;
    it->name = keep(l, k);
    if (!is_ident(it->name))
        return failf(l, k, "%s: item name must be lower case letters, digits and _", sec);
    it->line = (int)k->start_mark.line + 1;
    it->qualitative = qualitative;
    if ((st = only_keys(l, v, it->name, keys)))
        return st;
    yaml_node_t *w = get(l, v, "weight"), *a = get(l, v, "actual"), *t = get(l, v, "target"),
                *b = get(l, v, "better"), *sc = get(l, v, "score"), *r = get(l, v, "rating"),
                *rr = get(l, v, "raters");
    if (!w)
        return failf(l, v, "item %s needs a weight", it->name);
    if ((st = constant_in(l, w, "weight", jx_rat_from_int(0), jx_rat_from_int(1000000),
                          &it->weight)))
        return st;
    int forms = (a || t) + !!sc + !!r;
    if (forms != 1)
        return failf(l, v,
                     "item %s needs exactly one of: actual and target, score (a formula), "
                     "rating (a rating item)",
                     it->name);
    char *name;
    if (a || t) {
        if (!a || !t)
            return failf(l, v, "item %s needs both actual and target", it->name);
        it->kind = JX_SC_RATIO;
        if (b && !scalar_is(b, "higher") && !scalar_is(b, "lower"))
            return failf(l, b, "better must be higher or lower");
        it->lower_is_better = b && scalar_is(b, "lower");
        if (!(name = jx_arena_printf(l->arena, "%s.actual", it->name)))
            return oom(l);
        if ((st = compile(l, a, name, &it->actual)))
            return st;
        if (!(name = jx_arena_printf(l->arena, "%s.target", it->name)))
            return oom(l);
        return compile(l, t, name, &it->target);
    }
    if (b)
        return failf(l, b, "better applies to items with actual and target");
    if (sc) {
        it->kind = JX_SC_SCORE;
        if (rr)
            return failf(l, rr, "raters applies to rating items");
        if (!(name = jx_arena_printf(l->arena, "%s.score", it->name)))
            return oom(l);
        return compile(l, sc, name, &it->score);
    }
    it->kind = JX_SC_RATING;
    for (int i = 0; i < JX_RATER_ROLES; i++)
        it->role_weight[i] = jx_rat_from_int(0);
    if (!(it->rating = keep(l, r)) || !*it->rating)
        return failf(l, r, "rating must name a rating item, such as qualitative");
    if (rr) {
        if (rr->type != YAML_MAPPING_NODE)
            return failf(l, rr, "raters must map rater roles to weights: {customer: 40%%, ...}");
        for (yaml_node_pair_t *pr = rr->data.mapping.pairs.start; pr < rr->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *rk = node(l, pr->key);
            int role = -1;
            for (int i = 0; rater_roles[i]; i++)
                if (scalar_is(rk, rater_roles[i]))
                    role = i;
            if (role < 0)
                return failf(l, rk, "unknown rater role \"%s\" (expected self, superior, peer, "
                                    "customer, cross_dept or hr)",
                             scalar(rk) ? scalar(rk) : "?");
            if ((st = constant_in(l, node(l, pr->value), "rater weight", jx_rat_from_int(0),
                                  jx_rat_from_int(1), &it->role_weight[role])))
                return st;
        }
    }
    return JX_OK;
}

/* The kpi: or qualitative: section; weights normalized to sum to 1. */
static enum jx_status load_sc_section(struct loader *l, yaml_node_t *n, bool qualitative)
{
    struct jx_scorecard *sc = l->p->scorecard;
    const char *sec = qualitative ? "scorecard.qualitative" : "scorecard.kpi";
    enum jx_status st;
    if (n->type != YAML_MAPPING_NODE)
        return failf(l, n, "%s must map item names to items", sec);
    size_t first = sc->nitems;
    struct jx_rat total = jx_rat_from_int(0);
    for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
         pr++) {
        if (sc->nitems == 64)
            return failf(l, node(l, pr->key), "too many scorecard items (at most 64)");
        /* Counted before loading, so jx_plan_free() frees what a failed item compiled. */
        struct jx_sc_item *it = &sc->items[sc->nitems++];
        if ((st = load_sc_item(l, node(l, pr->key), node(l, pr->value), qualitative, it)))
            return st;
        for (size_t i = 0; i + 1 < sc->nitems; i++)
            if (!strcmp(sc->items[i].name, it->name))
                return failf(l, node(l, pr->key), "item \"%s\" is defined twice", it->name);
        if ((st = jx_rat_add(total, it->weight, &total)))
            return failf(l, n, "%s: weights too large", sec);
    }
    if (sc->nitems == first)
        return failf(l, n, "%s needs at least one item", sec);
    if (jx_rat_cmp(total, jx_rat_from_int(0)) <= 0)
        return failf(l, n, "%s: the weights add up to 0", sec);
    for (size_t i = first; i < sc->nitems; i++)
        if ((st = jx_rat_div(sc->items[i].weight, total, &sc->items[i].weight)))
            return failf(l, n, "%s: bad weights", sec);
    return JX_OK;
}

/* grades: {S: 90, A: 80, B: 70, C: 60}, or shares per grade for distribution and watch. */
static enum jx_status load_grade_map(struct loader *l, yaml_node_t *n, const char *what,
                                     int first, int last, bool shares, struct jx_rat *out)
{
    char keys_buf[JX_GRADES][2];
    const char *keys[JX_GRADES + 1];
    int nk = 0;
    enum jx_status st;
    for (int g = first; g <= last; g++) {
        keys_buf[nk][0] = grade_names[g][0];
        keys_buf[nk][1] = '\0';
        keys[nk] = keys_buf[nk];
        nk++;
    }
    keys[nk] = NULL;
    if ((st = only_keys(l, n, what, keys)))
        return st;
    for (int g = first; g <= last; g++) {
        yaml_node_t *v = get(l, n, grade_names[g]);
        if (!v) {
            if (shares)
                continue;
            return failf(l, n, "%s needs %s", what, grade_names[g]);
        }
        if ((st = constant_in(l, v, what, jx_rat_from_int(0),
                              jx_rat_from_int(shares ? 1 : 1000), &out[g])))
            return st;
    }
    return JX_OK;
}

static enum jx_status load_consequences(struct loader *l, yaml_node_t *n)
{
    static const char *const keys[] = {"pip_review_days", "elimination_streak",
                                       "promotion_streak", "champion_item", NULL};
    struct jx_scorecard *sc = l->p->scorecard;
    enum jx_status st;
    yaml_node_t *v;
    if ((st = only_keys(l, n, "scorecard.consequences", keys)))
        return st;
    if ((v = get(l, n, "pip_review_days")) &&
        (st = whole_in(l, v, "pip_review_days", 1, 365, &sc->pip_review_days)))
        return st;
    if ((v = get(l, n, "elimination_streak")) &&
        (st = whole_in(l, v, "elimination_streak", 1, 12, &sc->elimination_streak)))
        return st;
    if ((v = get(l, n, "promotion_streak")) &&
        (st = whole_in(l, v, "promotion_streak", 1, 12, &sc->promotion_streak)))
        return st;
    if ((v = get(l, n, "champion_item"))) {
        sc->champion_item = keep(l, v);
        bool found = false;
        for (size_t i = 0; sc->champion_item && i < sc->nkpi; i++)
            found |= !strcmp(sc->items[i].name, sc->champion_item);
        if (!found)
            return failf(l, v, "champion_item must name a KPI item of this scorecard");
    }
    return JX_OK;
}

static enum jx_status load_sc_targets(struct loader *l, yaml_node_t *n)
{
    static const char *const keys[] = {"unit_metric", "member_metric", "member_min", NULL};
    struct jx_scorecard *sc = l->p->scorecard;
    enum jx_status st;
    yaml_node_t *v;
    if ((st = only_keys(l, n, "scorecard.targets", keys)))
        return st;
    sc->unit_metric = keep(l, get(l, n, "unit_metric"));
    sc->member_metric = keep(l, get(l, n, "member_metric"));
    if (!is_ident(sc->unit_metric) || !is_ident(sc->member_metric))
        return failf(l, n, "scorecard.targets needs unit_metric and member_metric (metric names)");
    sc->member_min = jx_rat_from_int(0);
    if ((v = get(l, n, "member_min")) &&
        (st = constant_in(l, v, "member_min", jx_rat_from_int(0), jx_rat_from_int(1000000000000),
                          &sc->member_min)))
        return st;
    sc->targets_line = (int)n->start_mark.line + 1;
    return JX_OK;
}

static enum jx_status load_scorecard(struct loader *l, yaml_node_t *n)
{
    static const char *const keys[] = {"subject", "kpi_weight", "qualitative_weight", "item_cap", "kpi",
                                       "qualitative", "deductions", "grades", "distribution",
                                       "watch", "consequences", "targets", NULL};
    struct jx_plan *p = l->p;
    struct jx_scorecard *sc;
    enum jx_status st;
    yaml_node_t *v;
    if ((st = only_keys(l, n, "scorecard", keys)))
        return st;
    if (!(sc = p->scorecard = jx_arena_calloc(l->arena, 1, sizeof *sc)) ||
        !(sc->items = jx_arena_calloc(l->arena, 64, sizeof *sc->items)))
        return oom(l);
    sc->line = (int)n->start_mark.line + 1;
    if ((v = get(l, n, "subject"))) {
        static const char *const subjects[] = {"person", "team", "agent", NULL};
        int k = -1;
        for (int i = 0; subjects[i]; i++)
            if (scalar_is(v, subjects[i]))
                k = i;
        if (k < 0)
            return failf(l, v, "subject must be person, team or agent");
        sc->subject = (enum jx_subject)k;
    }
    sc->kpi_weight = jx_rat_from_frac(7, 10);
    sc->qualitative_weight = jx_rat_from_frac(3, 10);
    sc->item_cap = jx_rat_from_int(120);
    static const int64_t default_bands[] = {90, 80, 70, 60};
    for (int g = 0; g < JX_GRADES; g++)
        sc->max_share[g] = sc->watch_share[g] = jx_rat_from_int(0);
    for (int g = 0; g < JX_GRADES - 1; g++)
        sc->bands[g] = jx_rat_from_int(default_bands[g]);
    if ((v = get(l, n, "kpi_weight")) &&
        (st = constant_in(l, v, "kpi_weight", jx_rat_from_int(0), jx_rat_from_int(1),
                          &sc->kpi_weight)))
        return st;
    if ((v = get(l, n, "qualitative_weight")) &&
        (st = constant_in(l, v, "qualitative_weight", jx_rat_from_int(0), jx_rat_from_int(1),
                          &sc->qualitative_weight)))
        return st;
    /* domain.md §6: KPI weight >= 70%, qualitative <= 30%, together the whole. */
    struct jx_rat sum;
    if (jx_rat_cmp(sc->kpi_weight, jx_rat_from_frac(7, 10)) < 0)
        return failf(l, get(l, n, "kpi_weight"), "kpi_weight must be at least 70%%");
    if (jx_rat_add(sc->kpi_weight, sc->qualitative_weight, &sum) ||
        jx_rat_cmp(sum, jx_rat_from_int(1)) != 0)
        return failf(l, get(l, n, "qualitative_weight") ? get(l, n, "qualitative_weight") : n,
                     "kpi_weight and qualitative_weight must add up to 100%%");
    if ((v = get(l, n, "item_cap")) &&
        (st = constant_in(l, v, "item_cap", jx_rat_from_int(100), jx_rat_from_int(1000),
                          &sc->item_cap)))
        return st;
    if (!(v = get(l, n, "kpi")))
        return failf(l, n, "scorecard needs a kpi section");
    if ((st = load_sc_section(l, v, false)))
        return st;
    sc->nkpi = sc->nitems;
    if ((v = get(l, n, "qualitative")) && (st = load_sc_section(l, v, true)))
        return st;
    if (sc->nitems == sc->nkpi && jx_rat_cmp(sc->qualitative_weight, jx_rat_from_int(0)) != 0)
        return failf(l, n, "qualitative_weight is not 0 but there is no qualitative section");
    if ((v = get(l, n, "deductions"))) {
        if ((st = compile(l, v, "scorecard.deductions", &sc->deductions)))
            return st;
        sc->has_deductions = true;
    }
    if ((v = get(l, n, "grades"))) {
        if ((st = load_grade_map(l, v, "grades", JX_GRADE_S, JX_GRADE_C, false, sc->bands)))
            return st;
        for (int g = 1; g < JX_GRADES - 1; g++)
            if (jx_rat_cmp(sc->bands[g], sc->bands[g - 1]) >= 0)
                return failf(l, v, "grades must decrease from S to C");
    }
    if ((v = get(l, n, "distribution"))) {
        if ((st = load_grade_map(l, v, "distribution", JX_GRADE_S, JX_GRADE_B, true,
                                 sc->max_share)))
            return st;
        sc->has_distribution = true;
    }
    if ((v = get(l, n, "watch")) &&
        (st = load_grade_map(l, v, "watch", JX_GRADE_C, JX_GRADE_D, true, sc->watch_share)))
        return st;
    if ((v = get(l, n, "consequences")) && (st = load_consequences(l, v)))
        return st;
    if ((v = get(l, n, "targets")) && (st = load_sc_targets(l, v)))
        return st;
    return JX_OK;
}

/* ---- evaluation order ---------------------------------------------- */

struct order {
    struct loader *l;
    int *state; /* per node: 0 new, 1 on the stack, 2 done */
    int nnodes; /* values, then commission, then above-price */
    const char *cycle; /* a value on the cycle found */
    int cycle_line;
};

static enum jx_status visit(struct order *o, int node_id);

/* Node of a slot: a value, or a line model's output; -1 for a leaf. */
static int node_of_slot(const struct order *o, int slot)
{
    const struct jx_plan *p = o->l->p;
    int base = o->l->value_slot0;
    if (slot >= base && slot < base + (int)p->nvalues)
        return slot - base;
    if (slot == JX_V_COMMISSION)
        return (int)p->nvalues;
    if (slot == JX_V_ABOVE_PRICE_SHARE)
        return (int)p->nvalues + 1;
    return -1;
}

struct dep_ctx {
    struct order *o;
    enum jx_status st;
};

static void visit_dep(void *ctx, int slot)
{
    struct dep_ctx *d = ctx;
    int n = node_of_slot(d->o, slot);
    if (!d->st && n >= 0)
        d->st = visit(d->o, n);
}

static enum jx_status visit_expr(struct order *o, const struct jx_expr *e)
{
    struct dep_ctx d = {o, JX_OK};
    if (e)
        jx_expr_deps(e, visit_dep, &d);
    return d.st;
}

static enum jx_status add_step(struct order *o, enum jx_plan_step_kind kind, int value)
{
    struct jx_plan *p = o->l->p;
    p->steps[p->nsteps++] = (struct jx_plan_step){kind, value};
    return JX_OK;
}

static enum jx_status visit(struct order *o, int n)
{
    struct jx_plan *p = o->l->p;
    enum jx_status st;
    if (o->state[n] == 2)
        return JX_OK;
    if (o->state[n] == 1) {
        o->cycle = n < (int)p->nvalues ? p->values[n].name
                   : n == (int)p->nvalues ? "commission"
                                          : "above_price_share";
        o->cycle_line = n < (int)p->nvalues ? p->values[n].line
                        : n == (int)p->nvalues ? p->commission_line
                                               : p->above_price_line;
        return JX_EINPUT;
    }
    o->state[n] = 1;
    if (n < (int)p->nvalues) {
        if ((st = visit_expr(o, p->values[n].expr)))
            return st;
        st = add_step(o, JX_STEP_VALUE, n);
    } else if (n == (int)p->nvalues) {
        if (!p->has_commission) {
            o->state[n] = 2;
            return JX_OK;
        }
        if ((st = visit_expr(o, p->commission_base_rate.expr)) ||
            (st = visit_expr(o, p->commission_excess_rate.expr)) ||
            (st = visit_expr(o, p->commission_multiplier.expr)))
            return st;
        st = add_step(o, JX_STEP_COMMISSION, 0);
    } else {
        if (!p->has_above_price) {
            o->state[n] = 2;
            return JX_OK;
        }
        st = add_step(o, JX_STEP_ABOVE_PRICE, 0);
    }
    o->state[n] = 2;
    return st;
}

static enum jx_status order_steps(struct loader *l)
{
    struct jx_plan *p = l->p;
    struct order o = {.l = l, .nnodes = (int)p->nvalues + 2};
    enum jx_status st = JX_OK;
    o.state = jx_calloc((size_t)o.nnodes, sizeof *o.state);
    p->steps = jx_arena_calloc(l->arena, (size_t)o.nnodes, sizeof *p->steps);
    if (!o.state || !p->steps) {
        free(o.state);
        return oom(l);
    }
    /* Pay components and flags pull in everything they use, in order. */
    for (int i = 0; !st && i < JX_PAY_PARTS; i++)
        st = visit_expr(&o, p->pay[i].expr);
    for (size_t i = 0; !st && i < p->nflags; i++)
        st = visit_expr(&o, p->flags[i].expr);
    for (size_t i = 0; !st && p->scorecard && i < p->scorecard->nitems; i++) {
        const struct jx_sc_item *it = &p->scorecard->items[i];
        if (!(st = visit_expr(&o, it->actual.expr)) && !(st = visit_expr(&o, it->target.expr)))
            st = visit_expr(&o, it->score.expr);
    }
    if (!st && p->scorecard)
        st = visit_expr(&o, p->scorecard->deductions.expr);
    for (int n = 0; !st && n < o.nnodes; n++)
        st = visit(&o, n);
    free(o.state);
    if (st == JX_EINPUT) {
        jx_err_set(l->err, JX_EINPUT,
                   "\"%s\" depends on itself (a cycle among the values)", o.cycle);
        jx_err_at(l->err, p->file, o.cycle_line, NULL);
    }
    return st;
}

/* ---- the whole file ------------------------------------------------- */

enum jx_status jx_plan_load_text(const char *name, const char *text, size_t len,
                                 struct jx_plan **out, struct jx_err *err)
{
    static const char *const top_keys[] = {"plan",  "title",   "period", "applies_to",
                                           "parameters", "commission", "above_price_share",
                                           "values", "pay", "flags", "new_customer_threshold",
                                           "scorecard", NULL};
    struct loader l = {.err = err};
    yaml_parser_t parser;
    enum jx_status st;
    struct jx_arena *arena = jx_calloc(1, sizeof *arena);
    struct jx_plan *p = arena ? jx_arena_calloc(arena, 1, sizeof *p) : NULL;

    if (!p) {
        free(arena);
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    p->arena = l.arena = arena;
    l.p = p;
    p->file = jx_arena_strndup(arena, name, strlen(name));
    p->nslots = JX_V_COUNT;
    p->deduction_cap = jx_rat_from_frac(1, 5);
    p->new_customer_threshold = jx_rat_from_int(10000);
    if (!p->file) {
        jx_plan_free(p);
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    if (len > MAX_PLAN_BYTES) {
        jx_err_set(err, JX_EINPUT, "plan file larger than %d bytes", MAX_PLAN_BYTES);
        jx_err_at(err, name, 0, NULL);
        jx_plan_free(p);
        return JX_EINPUT;
    }
    if (sodium_init() >= 0)
        crypto_generichash(p->hash, sizeof p->hash, (const unsigned char *)text, len, NULL, 0);
    if (!(p->text = jx_arena_strndup(arena, text, len))) {
        jx_plan_free(p);
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    p->text_len = len;

    if (!yaml_parser_initialize(&parser)) {
        jx_plan_free(p);
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &l.doc)) {
        jx_err_set(err, JX_EINPUT, "not valid YAML: %s%s%s",
                   parser.problem ? parser.problem : "parse error",
                   parser.context ? " " : "", parser.context ? parser.context : "");
        jx_err_at(err, name, (long)parser.problem_mark.line + 1, NULL);
        yaml_parser_delete(&parser);
        jx_plan_free(p);
        return JX_EINPUT;
    }
    yaml_parser_delete(&parser);

    yaml_node_t *root = yaml_document_get_root_node(&l.doc);
    if (!root) {
        st = failf(&l, NULL, "the plan file is empty");
        goto done;
    }
    if ((st = only_keys(&l, root, "the plan", top_keys)))
        goto done;
    yaml_node_t *n;
    if (!(p->name = keep(&l, get(&l, root, "plan"))) || !*p->name) {
        st = failf(&l, root, "the plan needs a name: \"plan: NAME\"");
        goto done;
    }
    p->title = keep(&l, get(&l, root, "title"));
    if ((n = get(&l, root, "period"))) {
        static const char *const periods[] = {"month", "quarter", "year", "any", NULL};
        int k = -1;
        for (int i = 0; periods[i]; i++)
            if (scalar_is(n, periods[i]))
                k = i;
        if (k < 0) {
            st = failf(&l, n, "period must be month, quarter, year or any");
            goto done;
        }
        p->period = (enum jx_plan_period)k;
    } else {
        p->period = JX_PP_ANY;
    }
    if ((n = get(&l, root, "new_customer_threshold")) &&
        (st = constant(&l, n, "new_customer_threshold", &p->new_customer_threshold)))
        goto done;
    if ((n = get(&l, root, "applies_to")) && (st = load_applies_to(&l, n)))
        goto done;
    if ((n = get(&l, root, "parameters")) && (st = load_parameters(&l, n)))
        goto done;
    if ((n = get(&l, root, "values")) && (st = declare_values(&l, n)))
        goto done;
    if ((n = get(&l, root, "commission")) && (st = load_commission(&l, n)))
        goto done;
    if ((n = get(&l, root, "above_price_share")) && (st = load_above_price(&l, n)))
        goto done;
    if ((st = load_values(&l)))
        goto done;
    if ((n = get(&l, root, "pay")) && (st = load_pay(&l, n)))
        goto done;
    if ((n = get(&l, root, "scorecard")) && (st = load_scorecard(&l, n)))
        goto done;
    if ((n = get(&l, root, "flags")) && (st = load_flags(&l, n)))
        goto done;
    if (!p->has_pay && !p->scorecard) {
        st = failf(&l, root, "the plan needs a pay section or a scorecard section");
        goto done;
    }
    if (p->has_pay && p->scorecard) {
        st = failf(&l, get(&l, root, "scorecard"),
                   "a plan has a pay section or a scorecard section, not both: "
                   "write two plans and run them together");
        goto done;
    }
    if ((st = order_steps(&l)))
        goto done;
    /* Every slot's name, once, for traces. */
    if (!(p->slot_names = jx_arena_calloc(arena, (size_t)p->nslots, sizeof *p->slot_names))) {
        st = oom(&l);
        goto done;
    }
    for (int i = 0; i < JX_V_COUNT; i++)
        p->slot_names[i] = jx_vars[i].name;
    for (size_t i = 0; i < p->nparams; i++)
        p->slot_names[p->params[i].slot] = p->params[i].name;
    for (size_t i = 0; i < p->nvalues; i++)
        p->slot_names[p->values[i].slot] = p->values[i].name;
    for (size_t i = 0; i < p->nfamily_vars; i++) {
        const struct jx_plan_family_var *f = &p->family_vars[i];
        if (!(p->slot_names[f->slot] =
                  jx_arena_printf(arena, "%s%s", jx_var_families[f->family], f->item))) {
            st = oom(&l);
            goto done;
        }
    }
done:
    yaml_document_delete(&l.doc);
    if (st) {
        jx_plan_free(p);
        return st;
    }
    *out = p;
    return JX_OK;
}

enum jx_status jx_plan_load_file(const char *path, struct jx_plan **out, struct jx_err *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    enum jx_status st;
    if (!f) {
        jx_err_set(err, JX_EINPUT, "cannot open the plan file: %s", strerror(errno));
        jx_err_at(err, path, 0, NULL);
        return JX_EINPUT;
    }
    for (;;) {
        if (len == cap) {
            if (cap > MAX_PLAN_BYTES)
                break;
            char *nb = jx_realloc(buf, cap = cap ? cap * 2 : 16384);
            if (!nb) {
                free(buf);
                fclose(f);
                return jx_err_set(err, JX_ENOMEM, "out of memory");
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    st = jx_plan_load_text(path, buf ? buf : "", len, out, err);
    free(buf);
    return st;
}

void jx_plan_free(struct jx_plan *p)
{
    if (!p)
        return;
    struct jx_plan_formula *all[] = {&p->commission_base_rate, &p->commission_excess_rate,
                                     &p->commission_multiplier};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        jx_expr_free(all[i]->expr);
    for (size_t i = 0; i < p->nvalues; i++)
        jx_expr_free(p->values[i].expr);
    for (int i = 0; i < JX_PAY_PARTS; i++)
        jx_expr_free(p->pay[i].expr);
    for (size_t i = 0; i < p->nflags; i++)
        jx_expr_free(p->flags[i].expr);
    for (size_t i = 0; p->scorecard && i < p->scorecard->nitems; i++) {
        jx_expr_free(p->scorecard->items[i].actual.expr);
        jx_expr_free(p->scorecard->items[i].target.expr);
        jx_expr_free(p->scorecard->items[i].score.expr);
    }
    if (p->scorecard)
        jx_expr_free(p->scorecard->deductions.expr);
    free(p->family_vars);
    struct jx_arena *a = p->arena;
    jx_arena_free(a);
    free(a);
}

const char *jx_plan_slot_name(const struct jx_plan *p, int slot)
{
    if (slot < 0 || slot >= p->nslots || !p->slot_names || !p->slot_names[slot])
        return "?";
    return p->slot_names[slot];
}
