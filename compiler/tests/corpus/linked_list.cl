// vsvm-args: svm buf
// vsvm-launch: 64 16
// Expected: heads is an array of get_global_size(0) pointers to lists of
// struct node (built by the host with malloc: fine-grained system SVM);
// out[i] = sum of value over the list at heads[i], and every node's
// visits field is incremented by one (pointers in structs, loads and
// stores through them).
struct node {
	__global struct node *next;
	int value;
	int visits;
};

__kernel void linked_list(__global struct node *__global *heads,
			  __global int *out)
{
	size_t i = get_global_id(0);
	int sum = 0;

	for (__global struct node *n = heads[i]; n; n = n->next) {
		sum += n->value;
		n->visits++;
	}
	out[i] = sum;
}
