// vsvm-args: buf buf buf
// vsvm-launch: 64 16
// Expected, for x = a[i], y = b[i] (long, y != 0), o = out + 16 * i:
// o[0..11] = mul_hi(x, y), mul_hi((ulong)x, (ulong)y), x / y, x % y,
// (ulong)x / (ulong)y, (ulong)x % (ulong)y, x << (y & 63), x >> (y & 63),
// (ulong)x >> (y & 63), x < y, (ulong)x < (ulong)y, clz(x).
__kernel void int64_ops(__global const long *a, __global const long *b,
			__global long *out)
{
	size_t i = get_global_id(0);
	long x = a[i], y = b[i];
	__global long *o = out + 16 * i;

	o[0] = mul_hi(x, y);
	o[1] = (long)mul_hi((ulong)x, (ulong)y);
	o[2] = x / y;
	o[3] = x % y;
	o[4] = (long)((ulong)x / (ulong)y);
	o[5] = (long)((ulong)x % (ulong)y);
	o[6] = x << (y & 63);
	o[7] = x >> (y & 63);
	o[8] = (long)((ulong)x >> (y & 63));
	o[9] = x < y;
	o[10] = (ulong)x < (ulong)y;
	o[11] = clz(x);
}
