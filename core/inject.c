#include "core/inject.h"
#include "core/mem.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

/* Kernel-internal restart codes, seen only by tracers at exit stops. */
#define FF_ERESTARTSYS		 512
#define FF_ERESTART_RESTARTBLOCK 516

static bool is_iov(const struct ff_sc *sc)
{
	return sc->shape == FF_SHAPE_IOV || sc->shape == FF_SHAPE_IOV_POS || sc->shape == FF_SHAPE_IOV_POS2;
}

static enum ff_reg arg_reg(int i)
{
	return (enum ff_reg)(FF_REG_ARG1 + i);
}

int ff_xfer_read(pid_t tid, const struct ff_regs *r, const struct ff_sc *sc, struct ff_xfer *x)
{
	x->iovcnt = 0;
	x->buf = 0;
	if (sc->shape == FF_SHAPE_NONE) {
		x->len = x->len0 = 0;
		return 0;
	}
	if (!is_iov(sc)) {
		x->len = ff_arch_get(r, arg_reg(sc->len_arg));
		if (sc->shape != FF_SHAPE_COUNT)
			x->buf = ff_arch_get(r, arg_reg(sc->len_arg - 1));
		x->len0 = x->len;
		return 0;
	}
	uint64_t cnt = ff_arch_get(r, FF_REG_ARG3);
	if (cnt == 0 || cnt > FF_IOV_MAX)
		return -EINVAL; /* the kernel rejects it or there is nothing to cut */
	uint64_t raw[64 * FF_ARCH_IOVEC_SIZE / sizeof(uint64_t)];
	uint64_t addr = ff_arch_get(r, FF_REG_ARG2);
	x->len = 0;
	for (uint64_t done = 0; done < cnt;) {
		uint64_t chunk = cnt - done < 64 ? cnt - done : 64;
		size_t want = chunk * FF_ARCH_IOVEC_SIZE;
		if (ff_peek(tid, addr + done * FF_ARCH_IOVEC_SIZE, raw, want) != want)
			return -EFAULT;
		for (uint64_t i = 0; i < chunk; i++) {
			uint64_t base, len;
			ff_arch_iovec(raw, i, &base, &len);
			if (done + i == 0)
				x->buf = base;
			x->lens[done + i] = len;
			if (x->len + len < x->len)
				return -EINVAL; /* overflow: the kernel says EINVAL */
			x->len += len;
		}
		done += chunk;
	}
	x->iovcnt = (int)cnt;
	x->len0 = x->lens[0];
	return 0;
}

/* Can a cut inside the first iovec become write/pwrite64? pwritev2 with
 * flags keeps its semantics only as pwritev2. */
static bool can_flatten(const struct ff_regs *r, const struct ff_sc *sc)
{
	return sc->shape != FF_SHAPE_IOV_POS2 || ff_arch_get(r, FF_REG_ARG6) == 0;
}

void ff_inject_fit(const struct ff_regs *r, const struct ff_sc *sc, const struct ff_xfer *x, struct ff_decision *d)
{
	if (d->kind != FF_SHORT && d->kind != FF_TORN)
		return;
	if (d->n == 0 || d->n >= x->len || sc->shape == FF_SHAPE_NONE) {
		d->kind = FF_PASS;
		d->err = 0;
		d->n = 0;
		return;
	}
	if (!is_iov(sc) || (d->n < x->len0 && can_flatten(r, sc)))
		return;
	uint64_t sum = 0;
	for (int i = 0; i < x->iovcnt && sum + x->lens[i] <= d->n; i++)
		sum += x->lens[i];
	d->n = sum;
	if (d->n == 0 || d->n >= x->len) {
		d->kind = FF_PASS;
		d->err = 0;
		d->n = 0;
	}
}

static void save_set(struct ff_regs *r, struct ff_pending *p, enum ff_reg reg, uint64_t v)
{
	if (!(p->restore & (1u << reg))) {
		p->saved[reg] = ff_arch_get(r, reg);
		p->restore |= 1u << reg;
	}
	ff_arch_set(r, reg, v);
}

/* Kinds that make the call fail without moving data. */
static bool errorlike(uint8_t kind)
{
	return kind == FF_ERROR || kind == FF_EINTR || kind == FF_EAGAIN || kind == FF_FSYNC;
}

bool ff_inject_entry(struct ff_regs *r, const struct ff_sc *sc, const struct ff_xfer *x, const struct ff_decision *d,
		     bool at_seccomp, struct ff_pending *p)
{
	memset(p, 0, sizeof(*p));
	p->nr = (long)ff_arch_get(r, FF_REG_NR);
	p->kind = d->kind;
	p->err = d->err;
	if (errorlike(d->kind)) {
		p->error_at_exit = true;
		p->active = true;
		if (sc->errmode == FF_ERR_AFTER)
			return true; /* the call runs; its result becomes the error at exit */
		ff_arch_set(r, FF_REG_NR, (uint64_t)-1);
		if (at_seccomp) {
			/* rax already holds -ENOSYS here; the skip would return it. */
			ff_arch_set(r, FF_REG_RESULT, (uint64_t) - (int64_t)d->err);
			p->active = false;
			return false;
		}
		return true;
	}
	if (d->kind == FF_CORRUPT) {
		p->active = true; /* the call runs as asked; its bytes are damaged at the exit stop */
		return true;
	}
	if (d->kind != FF_SHORT && d->kind != FF_TORN)
		return false;
	if (!is_iov(sc)) {
		save_set(r, p, arg_reg(sc->len_arg), d->n);
	} else if (d->n < x->len0 && can_flatten(r, sc)) {
		bool positional = sc->shape == FF_SHAPE_IOV_POS ||
				  (sc->shape == FF_SHAPE_IOV_POS2 && ff_arch_get(r, FF_REG_ARG4) != (uint64_t)-1);
		bool in = sc->classes & FF_CLASS_READ;
		/* p{read,write}v's pos_l is already in p{read,write}64's offset register. */
		long flat = positional ? (in ? SYS_pread64 : SYS_pwrite64) : (in ? SYS_read : SYS_write);
		save_set(r, p, FF_REG_NR, (uint64_t)flat);
		save_set(r, p, FF_REG_ARG2, x->buf);
		save_set(r, p, FF_REG_ARG3, d->n);
	} else {
		uint64_t sum = 0;
		int k = 0;
		while (k < x->iovcnt && sum + x->lens[k] <= d->n)
			sum += x->lens[k++];
		save_set(r, p, FF_REG_ARG3, (uint64_t)k);
	}
	p->active = true;
	return true;
}

bool ff_inject_exit(struct ff_regs *r, struct ff_pending *p)
{
	if (!p->active)
		return false;
	p->active = false;
	for (int reg = 0; reg < FF_REG_COUNT; reg++)
		if (p->restore & (1u << reg))
			ff_arch_set(r, reg, p->saved[reg]);
	/* The real number, also after a skip, so a restart re-runs the call. */
	ff_arch_set(r, FF_REG_NR, (uint64_t)p->nr);
	int64_t res = (int64_t)ff_arch_get(r, FF_REG_RESULT);
	if (res <= -FF_ERESTARTSYS && res >= -FF_ERESTART_RESTARTBLOCK)
		return true;
	if (p->error_at_exit || (p->kind == FF_TORN && res >= 0))
		ff_arch_set(r, FF_REG_RESULT, (uint64_t) - (int64_t)p->err);
	return false;
}
