// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected, x = in[i] (float), k = as_int(x), u = (uint)k, o = out + 32 * i:
// o[0..6] = floor, ceil, trunc, rint, round, fabs of x, copysign(x, -1);
// o[8..11] (as ints) = clz(k), hadd(k, 7), add_sat(k, 0x7fffff00),
// rotate(u, 5); o[12] = mad(x, 2, 1) (fused or not); o[13] = sqrt(|x|)
// (correctly rounded); o[14] = native_sqrt(|x|) (approximate); o[15] =
// sign(x); o[16] = fmod(x, 3) (exact); o[20..22] (as ints) = mul_hi(k, 12345),
// upsample((short)k, (ushort)u), select(k, 5, k > 3); o[24] (int) =
// convert_int_sat(x * 1e10f); o[25] (uint) = convert_uint(x) for x >= 0;
// o[26] = (float)(long)k; o[27] (int) = (int)(ulong)(x * 100) for x >= 0.
__kernel void math_builtins(__global const float *in, __global float *out)
{
	size_t i = get_global_id(0);
	float x = in[i];
	int k = as_int(x);
	uint u = (uint)k;
	__global float *o = out + 32 * i;

	o[0] = floor(x); o[1] = ceil(x); o[2] = trunc(x); o[3] = rint(x);
	o[4] = round(x); o[5] = fabs(x); o[6] = copysign(x, -1.0f);
	o[8] = as_float(clz(k));
	o[9] = as_float(hadd(k, 7)); o[10] = as_float(add_sat(k, 0x7fffff00));
	o[11] = as_float(rotate(u, 5u)); o[12] = mad(x, 2.0f, 1.0f);
	o[13] = sqrt(fabs(x)); o[14] = native_sqrt(fabs(x)); o[15] = sign(x);
	o[16] = fmod(x, 3.0f);
	o[20] = as_float(mul_hi(k, 12345));
	o[21] = as_float(upsample((short)k, (ushort)u));
	o[22] = as_float(select(k, 5, k > 3));
	o[24] = as_float(convert_int_sat(x * 1e10f));
	o[25] = as_float(convert_uint(x));
	o[26] = (float)(long)k; o[27] = as_float((int)(ulong)(x * 100.0f));
}
