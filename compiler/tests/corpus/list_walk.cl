// vsvm-args: svm buf
// vsvm-launch: 64 16
// Expected: like linked_list.cl, with the list heads passed as an array of
// 64-bit addresses (OpenCL C 1.x does not allow a pointer-to-pointer
// argument): out[i] = sum of value over the list at heads[i], and every
// node's visits field is incremented by one.
struct node {
	__global struct node *next;
	int value;
	int visits;
};

__kernel void list_walk(__global const ulong *heads, __global int *out)
{
	size_t i = get_global_id(0);
	int sum = 0;

	for (__global struct node *n = (__global struct node *)heads[i]; n;
	     n = n->next) {
		sum += n->value;
		n->visits++;
	}
	out[i] = sum;
}
