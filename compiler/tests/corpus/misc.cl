// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected, for a = in[i], b = in[i + 1] (float4), o = out + 8 * i
// (float4s): o[0] = (dot, length(a), distance, fast_length(b)),
// o[2] = cross(a, b), o[3] = bitselect(a, b, 0.5f), o[4] = the relational
// sum isnan(a) + isinf(b) + isless(a, b) (-1 for true), o[5] =
// convert_char4_sat(a * 10) + mad24(ia, ia, ia), o[6] = (9i, 2i + 18,
// mul24(ia.x, ia.y), rotate(c.x, 3)), o[7] = shuffle + vload4 + fma; o[1]
// (normalize) is overwritten by the vstore4 of a * 2. Float math within a
// small relative error, the rest exact.
__kernel void misc(__global const float4 *in, __global float4 *out)
{
	size_t i = get_global_id(0);
	float4 a = in[i], b = in[i + 1];
	int4 ia = as_int4(a);
	char4 c = convert_char4_sat(a * 10.0f);
	short8 s8 = (short8)(1, 2, 3, 4, 5, 6, 7, 8) * (short)i;
	uint16 u16 = (uint16)(i) + (uint16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

	out[8 * i + 0] = (float4)(dot(a, b), length(a), distance(a, b), fast_length(b));
	out[8 * i + 1] = normalize(a);
	out[8 * i + 2] = cross(a, b);
	out[8 * i + 3] = bitselect(a, b, (float4)(0.5f));
	out[8 * i + 4] = convert_float4(isnan(a) + isinf(b) + isless(a, b));
	out[8 * i + 5] = convert_float4(c) + convert_float4(mad24(ia, ia, ia));
	out[8 * i + 6] = (float4)(s8.s0 + s8.s7, u16.sf + u16.s3, mul24(ia.x, ia.y), rotate(c.x, (char)3));
	out[8 * i + 7] = shuffle(a, (uint4)(3, 2, 1, 0)) + vload4(0, (__global const float *)in + i) + fma(a, b, a);
	vstore4(a * 2.0f, 1, (__global float *)out + 32 * i);
}
