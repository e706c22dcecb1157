// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected, over N work-items with values v = in[i] (counters c[] start at
// the values the host wrote, c[1] = c[2] = c[3] = 0 etc.):
// c[0] += N (atomic_inc), c[1] += sum(v) (atomic_add), c[2] -= sum(v)
// (atomic_sub), c[3] = min(c[3], v...) (atomic_min), c[4] = max (atomic_max),
// c[5] &= all v (atomic_and), c[6] |= all v (atomic_or), c[7] ^= all v
// (atomic_xor), c[8]: atomic_xchg leaves one of the v, c[9]: cmpxchg(0 -> i+1)
// succeeds for exactly one work-item, c[10] umin, c[11] umax as unsigned.
__kernel void atomics(__global const int *in, __global int *c)
{
	size_t i = get_global_id(0);
	int v = in[i];

	atomic_inc(&c[0]);
	atomic_add(&c[1], v);
	atomic_sub(&c[2], v);
	atomic_min(&c[3], v);
	atomic_max(&c[4], v);
	atomic_and(&c[5], v);
	atomic_or(&c[6], v);
	atomic_xor(&c[7], v);
	atomic_xchg(&c[8], v);
	atomic_cmpxchg(&c[9], 0, (int)i + 1);
	atomic_min((volatile __global uint *)&c[10], (uint)v);
	atomic_max((volatile __global uint *)&c[11], (uint)v);
}
