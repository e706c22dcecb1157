// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected, x = in[i] (int), u = (uint)x, f = (float)x / 8:
// out[16i + 0..11] = (int)(float)u bits as float: as_int((float)u),
// as_int((float)x), (int)f, (int)(uint)fabs(f), min(x, 100), max(x, -100),
// abs(x), clamp(x, -50, 50), x > 0 ? 11 : 22, (int)(((long)x * 3) >> 1),
// (int)((ulong)u * 5 % 7), (int)(short)x.
__kernel void convert(__global const int *in, __global int *out)
{
	size_t i = get_global_id(0);
	int x = in[i];
	uint u = (uint)x;
	float f = (float)x / 8.0f;
	__global int *o = out + 16 * i;

	o[0] = as_int((float)u);
	o[1] = as_int((float)x);
	o[2] = (int)f;
	o[3] = (int)(uint)fabs(f);
	o[4] = min(x, 100);
	o[5] = max(x, -100);
	o[6] = (int)abs(x);
	o[7] = clamp(x, -50, 50);
	o[8] = x > 0 ? 11 : 22;
	o[9] = (int)(((long)x * 3) >> 1);
	o[10] = (int)((ulong)u * 5 % 7);
	o[11] = (int)(short)x;
}
