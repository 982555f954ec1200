/*
 * sa-demo.c - share an array between processes with libsharedarray
 *
 *   sa-demo create NAME   create a 3x4 float64 array holding 0..11
 *   sa-demo change NAME   attach it (in another process) and scale it by 10
 *   sa-demo show NAME     attach it read-only and print it
 *   sa-demo delete NAME   remove the name
 *
 * Build: cc sa-demo.c $(pkg-config --cflags --libs sharedarray)
 */
#include <stdio.h>
#include <string.h>

#include <sharedarray.h>

static int fail(const char *what, const char *name, int err)
{
	fprintf(stderr, "sa-demo: %s %s: %s\n", what, name, sa_strerror(err));
	return 1;
}

static int create(const char *name)
{
	const size_t shape[2] = { 3, 4 };
	sa_array *array;
	double *data;
	int err;

	err = sa_create(name, SA_DTYPE_FLOAT64, 2, shape, 0, 0600, &array);
	if (err < 0)
		return fail("create", name, err);
	data = sa_data(array);
	for (size_t i = 0; i < shape[0] * shape[1]; i++)
		data[i] = (double)i;
	printf("created %s: %zux%zu %s\n", name, shape[0], shape[1], sa_dtype(array));
	/* The array outlives this process: detach, do not delete. */
	return sa_detach(array) < 0;
}

static int change(const char *name)
{
	sa_array *array;
	double *data;
	int err;

	err = sa_attach(name, 0, &array);
	if (err < 0)
		return fail("attach", name, err);
	if (strcmp(sa_dtype(array), SA_DTYPE_FLOAT64) != 0) {
		sa_detach(array);
		return fail("attach", name, -22);
	}
	data = sa_data(array);
	for (size_t i = 0; i < sa_nbytes(array) / sizeof(double); i++)
		data[i] *= 10;
	printf("changed %s in another process: multiplied by 10\n", name);
	return sa_detach(array) < 0;
}

static int show(const char *name)
{
	const size_t *shape;
	const double *data;
	sa_array *array;
	int err;

	err = sa_attach(name, SA_RDONLY, &array);
	if (err < 0)
		return fail("attach", name, err);
	shape = sa_shape(array);
	data = sa_data(array);
	printf("%s (%s, %zux%zu):\n", name, sa_dtype(array), shape[0], shape[1]);
	for (size_t r = 0; r < shape[0]; r++) {
		for (size_t c = 0; c < shape[1]; c++)
			printf(" %6.1f", data[r * shape[1] + c]);
		putchar('\n');
	}
	return sa_detach(array) < 0;
}

int main(int argc, char **argv)
{
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: sa-demo create|change|show|delete NAME\n");
		return 2;
	}
	if (strcmp(argv[1], "create") == 0)
		return create(argv[2]);
	if (strcmp(argv[1], "change") == 0)
		return change(argv[2]);
	if (strcmp(argv[1], "show") == 0)
		return show(argv[2]);
	if (strcmp(argv[1], "delete") == 0) {
		err = sa_delete(argv[2]);
		return err < 0 ? fail("delete", argv[2], err) : 0;
	}
	fprintf(stderr, "sa-demo: unknown command %s\n", argv[1]);
	return 2;
}
