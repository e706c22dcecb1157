// vsvm-args: f32 buf buf
// vsvm-launch: 64 16
// Expected: y[i] = a * x[i] + y[i] (float, not fused: mul then add).
__kernel void saxpy(float a, __global const float *x, __global float *y)
{
	size_t i = get_global_id(0);

	y[i] = a * x[i] + y[i];
}
