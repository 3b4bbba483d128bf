/*
 * cmd_user.c - jixiao user: the users of the web application.
 *
 *   jixiao user --db PATH add NAME --role ROLE [--person ID]
 *   jixiao user --db PATH passwd NAME
 *   jixiao user --db PATH list
 *   jixiao user --db PATH disable NAME
 *
 * The password is read from standard input (one line), or asked twice on a
 * terminal without echo; it is stored as an argon2id hash (libsodium).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "store/store.h"

static const char *const roles[] = {"rep",     "manager",  "director", "hr",
                                    "finance", "engineer", "admin",    NULL};

/* Read one line into buf (the newline removed); false at end of input. */
static bool read_line(FILE *in, char *buf, size_t n)
{
    if (!fgets(buf, (int)n, in))
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

/* The new password: from stdin, or asked twice on a terminal without echo. */
static int read_password(char *pw, size_t n)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    char again[256];
    if (tty && tcgetattr(STDIN_FILENO, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        fputs("password: ", stderr);
        bool ok = read_line(stdin, pw, n);
        fputs("\nagain: ", stderr);
        ok = ok && read_line(stdin, again, sizeof again);
        fputc('\n', stderr);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        if (!ok || strcmp(pw, again)) {
            fputs("jixiao user: the two passwords differ\n", stderr);
            return 1;
        }
    } else if (!read_line(stdin, pw, n)) {
        fputs("jixiao user: give the password on standard input\n", stderr);
        return 1;
    }
    if (strlen(pw) < 8) {
        fputs("jixiao user: a password has at least 8 characters\n", stderr);
        return 1;
    }
    return 0;
}

int jx_cli_hash_password(const char *pw, char *out)
{
    if (sodium_init() < 0 ||
        crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        fputs("jixiao: cannot hash the password (out of memory)\n", stderr);
        return 1;
    }
    return 0;
}

int jx_cmd_user(int argc, char **argv)
{
    struct jx_opt opts[] = {
        {.name = "db", .arg = "PATH", .help = "the database"},
        {.name = "role", .arg = "ROLE", .help = "add: rep, manager, director, hr, finance, "
                                                "engineer or admin"},
        {.name = "person", .arg = "ID", .help = "add: the person the user is (their own results)"},
        {.name = "user", .arg = "NAME", .help = "who makes the change, for the audit log"},
        {0},
    };
    struct jx_args a = {.cmd = "user",
                        .usage = "--db PATH add NAME --role ROLE [--person ID] | passwd NAME | "
                                 "list | disable NAME",
                        .summary = "The users of the web application (用户管理). Passwords are read "
                                   "from standard input, or asked on a terminal,\nand kept as "
                                   "argon2id hashes.",
                        .opts = opts,
                        .positional = true};
    struct jx_store *st = NULL;
    struct jx_err err;
    struct jx_user u;
    char pw[256];
    enum jx_status s;
    int rc = jx_args_parse(&a, argc, argv);
    if (rc || a.help)
        return rc;
    const char *db = jx_args_get(&a, "db"), *who = jx_args_get(&a, "user");
    if (!db || a.npos < 1)
        return jx_args_usage_error(&a, "--db and an action (add, passwd, list, disable) are "
                                       "required");
    const char *action = a.pos[0];
    bool list = !strcmp(action, "list");
    if (!list && strcmp(action, "add") && strcmp(action, "passwd") && strcmp(action, "disable"))
        return jx_args_usage_error(&a, "unknown action \"%s\"", action);
    if (list ? a.npos != 1 : a.npos != 2)
        return jx_args_usage_error(&a, list ? "list takes no name" : "%s takes one NAME", action);
    const char *name = list ? NULL : a.pos[1];
    if (name && (strlen(name) > JX_USER_NAME_MAX || !*name || strpbrk(name, " \t,:;\"'")))
        return jx_args_usage_error(&a, "a user name has 1 to %d characters, no spaces or "
                                       "punctuation",
                                   JX_USER_NAME_MAX);
    const char *role = jx_args_get(&a, "role"), *person = jx_args_get(&a, "person");
    if (!strcmp(action, "add")) {
        bool ok = false;
        for (int i = 0; role && roles[i]; i++)
            ok |= !strcmp(role, roles[i]);
        if (!ok)
            return jx_args_usage_error(&a, "add needs --role: rep, manager, director, hr, "
                                           "finance, engineer or admin");
    } else if (role || person) {
        return jx_args_usage_error(&a, "--role and --person go with add");
    }
    jx_err_clear(&err);
    if ((s = jx_store_open(db, false, &st, &err)) || (s = jx_store_check_schema(st, &err)))
        goto done;
    if (list) {
        struct jx_user *v = NULL;
        size_t n = 0;
        if (!(s = jx_store_user_list(st, &v, &n, &err))) {
            printf("%-20s %-9s %-12s %s\n", "user", "role", "person", "status");
            for (size_t i = 0; i < n; i++)
                printf("%-20s %-9s %-12s %s\n", v[i].name, v[i].role,
                       v[i].person_id[0] ? v[i].person_id : "-",
                       v[i].disabled ? "disabled" : "active");
        }
        free(v);
        goto done;
    }
    if (!strcmp(action, "add")) {
        memset(&u, 0, sizeof u);
        snprintf(u.name, sizeof u.name, "%s", name);
        snprintf(u.role, sizeof u.role, "%s", role);
        if (person) {
            bool exists = false;
            if ((s = jx_store_exists(st, JX_KIND_PEOPLE, person, strlen(person), &exists, &err)))
                goto done;
            if (!exists) {
                s = jx_err_set(&err, JX_EINPUT, "no person \"%s\" in the database", person);
                goto done;
            }
            snprintf(u.person_id, sizeof u.person_id, "%s", person);
        }
    } else if ((s = jx_store_user_get(st, name, &u, &err))) {
        goto done;
    }
    if (!strcmp(action, "disable")) {
        u.disabled = true;
    } else {
        if (read_password(pw, sizeof pw) || jx_cli_hash_password(pw, u.pw_hash)) {
            sodium_memzero(pw, sizeof pw);
            jx_store_close(st);
            return 1;
        }
        sodium_memzero(pw, sizeof pw);
        u.disabled = false;
    }
    if (!(s = jx_store_user_put(st, &u, !strcmp(action, "add"), who ? who : "cli", &err)))
        printf("user %s %s\n", name,
               !strcmp(action, "add")      ? "added"
               : !strcmp(action, "passwd") ? "has a new password"
                                           : "disabled");
done:
    jx_store_close(st);
    return s ? jx_cli_fail(s, &err) : 0;
}
