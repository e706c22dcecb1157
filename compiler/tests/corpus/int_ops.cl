// vsvm-args: buf buf buf
// vsvm-launch: 64 16
// Expected, for i = get_global_id(0), x = a[i], y = b[i] (y != 0):
// out[16*i + 0..15] = x/y, x%y, (uint)x/(uint)y, (uint)x%(uint)y,
// x<<(y&31), x>>(y&31) (arithmetic), (uint)x>>(y&31), x&y, x|y, x^y, ~x,
// -x, x*y, mul_hi-free 64-bit: (int)(((long)x*(long)y)>>32),
// (int)((long)x/(long)y), (int)((ulong)(uint)x%(ulong)(uint)y).
__kernel void int_ops(__global const int *a, __global const int *b,
		      __global int *out)
{
	size_t i = get_global_id(0);
	int x = a[i], y = b[i];
	__global int *o = out + 16 * i;

	o[0] = x / y;
	o[1] = x % y;
	o[2] = (int)((uint)x / (uint)y);
	o[3] = (int)((uint)x % (uint)y);
	o[4] = x << (y & 31);
	o[5] = x >> (y & 31);
	o[6] = (int)((uint)x >> (y & 31));
	o[7] = x & y;
	o[8] = x | y;
	o[9] = x ^ y;
	o[10] = ~x;
	o[11] = -x;
	o[12] = x * y;
	o[13] = (int)(((long)x * (long)y) >> 32);
	o[14] = (int)((long)x / (long)y);
	o[15] = (int)((ulong)(uint)x % (ulong)(uint)y);
}
