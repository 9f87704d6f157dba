/* audit/policy_accounts.c: the accounts of /etc/shadow for pass-max-days
 * and pass-min-days. login.defs only sets the aging of accounts made
 * later; an account already in the image keeps its own fields
 * ("name:hash:lastchg:min:max:warn:inactive:expire:"). An account with a
 * usable password (a hash that does not start with '!' or '*') whose own
 * max is empty (never expires) or above the limit, or whose min is below
 * it, fails the rule as well, named with its line. Locked and
 * password-less accounts (the usual container: root is '*') do not count:
 * no password of theirs ages. */
#include "audit/policy_priv.h"

#include "util/slice.h"

/* Accounts named in the evidence (the rest counted). */
#define POLICY_MAX_ACCOUNTS_SHOWN 5

/* Field i (0-based) of a ':'-separated line. */
static vigil_slice field(vigil_slice line, int i)
{
	vigil_slice head, rest = line;
	for (int k = 0; k <= i; k++) {
		if (!vigil_slice_split(rest, ':', &head, &rest) && k < i)
			return vigil_slice_make("", 0);
	}
	return head;
}

/* Whether the account fails the rule; *val its field (as text). */
static bool account_fails(const policy_rule *r, vigil_slice line, vigil_slice *val)
{
	vigil_slice hash = field(line, 1);
	uint64_t x;
	if (!hash.len || hash.ptr[0] == '!' || hash.ptr[0] == '*')
		return false;
	*val = field(line, r->kind == POL_PASS_MAX_DAYS ? 4 : 3);
	if (!vigil_slice_to_u64(*val, (uint64_t)1 << 40, &x))
		return true; /* empty: no aging; junk: the same to shadow */
	return r->kind == POL_PASS_MAX_DAYS ? x > (uint64_t)r->limit : x < (uint64_t)r->limit;
}

void policy_judge_accounts(const policy_rule *r, const char *shadow, size_t len, const audit_file *f,
			   policy_verdict *v)
{
	vigil_slice in = vigil_slice_make(shadow, len), line, val;
	uint32_t no = 0;
	size_t bad = 0;
	if (!shadow || (r->kind != POL_PASS_MAX_DAYS && r->kind != POL_PASS_MIN_DAYS))
		return;
	while (vigil_slice_next_line(&in, &line)) {
		no++;
		if (!account_fails(r, line, &val))
			continue;
		if (bad++ == 0 && v->passed != 0) {
			v->path = "etc/shadow";
			v->line = no;
			v->layer = f->layer;
		}
		if (bad > POLICY_MAX_ACCOUNTS_SHOWN)
			continue;
		vigil_slice name = field(line, 0);
		const char *what = r->kind == POL_PASS_MAX_DAYS ? "max" : "min";
		int nl = (int)(name.len > 64 ? 64 : name.len);
		if (val.len)
			policy_say(v, "; account %.*s has %s %.*s (etc/shadow:%u)", nl, name.ptr, what,
				   (int)(val.len > 16 ? 16 : val.len), val.ptr, (unsigned)no);
		else
			policy_say(v, "; account %.*s has no %s%s (etc/shadow:%u)", nl, name.ptr, what,
				   r->kind == POL_PASS_MAX_DAYS ? ": never expires" : "", (unsigned)no);
	}
	if (bad > POLICY_MAX_ACCOUNTS_SHOWN)
		policy_say(v, " and %zu more accounts", bad - POLICY_MAX_ACCOUNTS_SHOWN);
	if (bad)
		v->passed = 0;
}
