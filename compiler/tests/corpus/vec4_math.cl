// vsvm-args: buf buf buf
// vsvm-launch: 64 16
// Expected: float4 vectors: c[i] = a[i] * b[i] + (float4)(1, 2, 3, 4) and
// the int4 d = convert_int4(c[i]) stored after them: ((int4 *)c)[64 + i] = d
// (c has 128 float4/int4 slots).
__kernel void vec4_math(__global const float4 *a, __global const float4 *b,
			__global float4 *c)
{
	size_t i = get_global_id(0);
	float4 r = a[i] * b[i] + (float4)(1.0f, 2.0f, 3.0f, 4.0f);

	c[i] = r;
	((__global int4 *)c)[64 + i] = convert_int4(r);
}
