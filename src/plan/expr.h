/*
 * expr.h - the formula language of plan files: compile once, evaluate many
 * times, exactly.
 *
 * A formula is text such as
 *
 *     if(sales >= task_sales, 1, min(1, sales / task_sales)) * base_salary
 *
 * compiled to a compact stack program over exact rationals (core/rat.h).
 * Names are resolved at compile time, through callbacks, to variable slots
 * and host-function ids; evaluation then does no allocation, no string work
 * and no lookups, so the engine can run one formula for thousands of people.
 *
 * The language (docs/plans.md has the reference with examples):
 *
 *   numbers      30000  0.03  15% (= 0.15)     no exponents, no separators
 *   names        base_salary  rating.composite  (letters, digits, _ and dots)
 *   arithmetic   a + b  a - b  a * b  a / b  -a      exact; / by 0 is an error
 *   comparisons  <  <=  >  >=  ==  !=               1 when true, 0 when false
 *   logic        a and b   a or b   not a           lazy; 0 is false, the rest true
 *   constants    true (1)  false (0)
 *   if(c, a, b)  a when c is not 0, else b; only the branch taken is evaluated
 *   min(a, ...)  max(a, ...)  abs(x)  clamp(x, lo, hi)
 *   round(x, d)  half away from zero (四舍五入) to d fraction digits, 0..18
 *   floor(x)  ceil(x)  floor(x, d)  ceil(x, d)
 *   f(a, ...)    a host function, resolved by name and arity (jx_expr_env)
 *
 * Precedence, loosest first: or; and; not; comparisons (which do not chain:
 * "a < b < c" is an error); + -; * /; unary -.  Operators of one level group
 * from the left.  Spaces, tabs and newlines separate tokens.
 *
 * Safety: any byte string compiles to a program or to an error, never to a
 * crash.  A source is at most JX_EXPR_MAX_SRC bytes, nested at most
 * JX_EXPR_MAX_DEPTH deep, with at most JX_EXPR_MAX_NODES parts; evaluation is
 * bounded by a step budget.  Overflow is an error, never a wrong number.
 *
 * Errors (compile and evaluation) set err->msg to "column N: problem", N
 * being the 1-based position of the problem in the formula, counted in
 * characters (UTF-8 code points): 'column 7: unknown name "bse_price"'.
 */
#ifndef JX_EXPR_H
#define JX_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rat.h"
#include "core/status.h"

#define JX_EXPR_MAX_SRC 4096   /* bytes of source */
#define JX_EXPR_MAX_DEPTH 64   /* nesting of parentheses, calls and unary operators */
#define JX_EXPR_MAX_NODES 2048 /* numbers, names, operators and calls */
#define JX_EXPR_MAX_ARGS 64    /* arguments of one call */
#define JX_EXPR_MAX_STACK 256  /* values held at once while evaluating */
#define JX_EXPR_MAX_NAME 128   /* bytes of one name */

/* A compiled formula: immutable, so it may be shared between threads. */
struct jx_expr;

/*
 * Compile-time name resolution.  Both callbacks get the name as it is
 * written (name[0..len), not NUL-terminated) and may be NULL, which resolves
 * nothing.  They are called once per occurrence, in source order, and only
 * during jx_expr_compile(); ctx is theirs.
 */
struct jx_expr_env {
    void *ctx;
    /* A slot >= 0 for a variable name (an index into jx_expr_vm.vars), or -1. */
    int (*lookup_var)(void *ctx, const char *name, size_t len);
    /*
     * A function id >= 0 for a host function called with nargs arguments,
     * or -1.  Built-in functions (if, min, max, abs, round, floor, ceil,
     * clamp) are never looked up here.  Host calls are never folded at
     * compile time, even with constant arguments.
     */
    int (*lookup_fn)(void *ctx, const char *name, size_t len, int nargs);
};

/*
 * Compile src[0..len) (no NUL needed; a NUL byte is an error).  env may be
 * NULL.  On success *out is a new formula the caller frees with
 * jx_expr_free(); on failure *out is untouched and err says what and where.
 * Constant parts are computed now (so "1/0" and "round(x, 20)" are compile
 * errors, and "12% * 30000" is stored as 3600).
 * JX_EINPUT for bad formulas, JX_ERANGE for constants that overflow,
 * JX_ENOMEM.
 */
enum jx_status jx_expr_compile(const char *src, size_t len, const struct jx_expr_env *env,
                               struct jx_expr **out, struct jx_err *err) JX_MUST_USE;

/* Free a compiled formula; NULL is fine. */
void jx_expr_free(struct jx_expr *e);

/*
 * Evaluation state, set up by the caller and borrowed by jx_expr_eval():
 *   vars        the values by slot; every slot the formula uses
 *               (jx_expr_max_slot()) must be there and hold a valid jx_rat.
 *               May be NULL for a formula that uses no names.
 *   call, ctx   host functions: args[0..nargs) are the evaluated arguments,
 *               borrowed for the call.  Write the result (a value made by
 *               rat.h) to *out and return JX_OK, or return an error and say
 *               why in err (the column is added in front).  May be NULL when
 *               the formula calls none.
 *   steps_left  budget, decremented once per instruction executed; when it
 *               runs out evaluation stops with JX_ERANGE "evaluation step
 *               limit exceeded".  One budget may be shared by several
 *               evaluations.  jx_expr_cost() is the most one evaluation
 *               of a formula can take.
 */
struct jx_expr_vm {
    const struct jx_rat *vars;
    void *ctx;
    enum jx_status (*call)(void *ctx, int fn, const struct jx_rat *args, int nargs,
                           struct jx_rat *out, struct jx_err *err);
    long steps_left;
};

/*
 * Evaluate e.  On success *out is the value; on failure *out is untouched
 * and err (may be NULL) says "column N: problem": JX_EINPUT for a division
 * by zero and bad arguments to round() or clamp(), JX_ERANGE for overflow
 * and an exhausted budget, a host function's own status.  No allocation;
 * about 9 KiB of C stack.
 */
enum jx_status jx_expr_eval(const struct jx_expr *e, struct jx_expr_vm *vm, struct jx_rat *out,
                            struct jx_err *err) JX_MUST_USE;

/*
 * Call fn(ctx, slot) once for each variable slot e reads, in order of first
 * appearance (after constant folding: "if(1, a, b)" reads only a).  For the
 * plan loader's order of evaluation and cycle check.
 */
void jx_expr_deps(const struct jx_expr *e, void (*fn)(void *ctx, int slot), void *ctx);

/* The same for the host functions e calls: fn(ctx, id) once per id. */
void jx_expr_calls(const struct jx_expr *e, void (*fn)(void *ctx, int id), void *ctx);

/* True when e reads no variable and calls no host function: its value is fixed. */
bool jx_expr_is_const(const struct jx_expr *e);

/* The largest slot e reads, or -1 when it reads none. */
int jx_expr_max_slot(const struct jx_expr *e);

/* The most steps one evaluation of e can take (its number of instructions). */
long jx_expr_cost(const struct jx_expr *e);

#endif
