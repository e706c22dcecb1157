// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected: 8- and 16-bit loads/stores and conversions:
// out8[i] = (uchar)(in8[i] + 3), out16[i] = (short)in8[i] * -3 where
// in8 = (uchar *)in, out8 = (uchar *)out, out16 = (short *)(out + 256).
__kernel void small_types(__global const uchar *in, __global uchar *out)
{
	size_t i = get_global_id(0);
	__global short *out16 = (__global short *)(out + 256);

	out[i] = (uchar)(in[i] + 3);
	out16[i] = (short)((short)in[i] * -3);
}
