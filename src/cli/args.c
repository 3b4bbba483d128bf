/*
 * args.c - option parsing for the subcommands.
 */
#include "cli/args.h"

#include "cli/cli.h"
#include "core/date.h"

#include <stdarg.h>
#include <string.h>

void jx_args_help(const struct jx_args *a, FILE *out)
{
    fprintf(out, "usage: jixiao %s %s\n\n%s\n", a->cmd, a->usage, a->summary);
    if (a->opts && a->opts[0].name) {
        fputs("\noptions:\n", out);
        for (const struct jx_opt *o = a->opts; o->name; o++) {
            char left[64];
            snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
            fprintf(out, "  %-22s %s\n", left, o->help);
        }
    }
    fputs("  --help                 show this help\n", out);
}

int jx_args_usage_error(const struct jx_args *a, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "jixiao %s: ", a->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: jixiao %s %s\n", a->cmd, a->usage);
    return 1;
}

static struct jx_opt *find(struct jx_args *a, const char *name, size_t len)
{
    for (struct jx_opt *o = a->opts; o && o->name; o++)
        if (strlen(o->name) == len && !memcmp(o->name, name, len))
            return o;
    return NULL;
}

int jx_args_parse(struct jx_args *a, int argc, char **argv)
{
    bool only_pos = false;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!only_pos && (!strcmp(s, "--help") || !strcmp(s, "-h"))) {
            jx_args_help(a, stdout);
            a->help = true;
            return 0;
        }
        if (!only_pos && !strcmp(s, "--")) {
            only_pos = true;
            continue;
        }
        if (!only_pos && s[0] == '-' && s[1] == '-') {
            const char *name = s + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            struct jx_opt *o = find(a, name, len);
            const char *val = NULL;
            if (!o)
                return jx_args_usage_error(a, "unknown option --%.*s", (int)len, name);
            if (o->arg) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else
                    return jx_args_usage_error(a, "--%s needs a value (%s)", o->name, o->arg);
            } else if (eq) {
                return jx_args_usage_error(a, "--%s takes no value", o->name);
            } else {
                val = "1";
            }
            if (o->count > 0 && !o->repeat)
                return jx_args_usage_error(a, "--%s given twice", o->name);
            if (o->count >= JX_ARGS_MAX_REPEAT)
                return jx_args_usage_error(a, "--%s given too often", o->name);
            o->values[o->count++] = val;
            continue;
        }
        if (!a->positional)
            return jx_args_usage_error(a, "unexpected argument \"%s\"", s);
        if (a->npos >= JX_ARGS_MAX_POS)
            return jx_args_usage_error(a, "too many arguments");
        a->pos[a->npos++] = s;
    }
    return 0;
}

int jx_args_period(const struct jx_args *a, const char *name, struct jx_period *p)
{
    const char *v = jx_args_get(a, name);
    struct jx_err err;
    jx_err_clear(&err);
    if (v && jx_period_parse(v, strlen(v), p, &err))
        return jx_args_usage_error(a, "%s", err.msg);
    return 0;
}

const char *jx_args_get(const struct jx_args *a, const char *name)
{
    for (const struct jx_opt *o = a->opts; o && o->name; o++)
        if (!strcmp(o->name, name))
            return o->count ? o->values[o->count - 1] : NULL;
    return NULL;
}

int jx_cli_fail(enum jx_status s, const struct jx_err *err)
{
    char buf[1024];
    fprintf(stderr, "jixiao: %s\n", jx_err_format(err, buf, sizeof buf));
    return jx_status_exit_code(s);
}
