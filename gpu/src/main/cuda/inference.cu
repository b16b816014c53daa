// Model inference on the device: the MLP forward pass and matrix-factorisation top-k. Included by
// kernels.cu, so nvcc builds one module and the stand-in one kernel table. The reference semantics
// are the CPU's (io.spate.internal.model.MlpRunner and RecommenderRunner); DeviceMlp and
// DeviceRecommender on the host launch these.
//
// MLP: one batch of events goes through the layers as row-major matrices, events x width:
//   mlp_normalise   x / ||x||_2 per event (in double, as the CPU does)
//   mlp_dense       per layer, C = A W + bias, then ReLU (all but the last layer): a tiled matrix
//                   product, MLP_TILE x MLP_TILE outputs per block, MLP_TILE_K deep tiles of A
//                   and W in shared memory, 4 x 4 outputs per thread in registers
//   mlp_softmax     per event, shifted by the maximum, summed in double (as the CPU does)
// MF: mf_topk, one block per user (grid-stride), each thread keeping a sorted list of its best k
// items in global scratch, then a tree of pairwise merges in the block; only k items per user
// leave the device, never the users x items score matrix.

#define MLP_TILE 64
#define MLP_TILE_K 32
#define MLP_SUB 16
#define MLP_THREADS (MLP_SUB * MLP_SUB)
#define MF_THREADS 128

// One event per thread: x divided by its L2 norm, a zero vector stays zero (MlpRunner.normaliseL2).
extern "C" __global__ void mlp_normalise(const float* x, int n, int inputs, float* out) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= n) {
        return;
    }
    const float* row = x + (long long) r * inputs;
    double sum = 0;
    for (int i = 0; i < inputs; i++) {
        double v = row[i];
        sum += v * v;
    }
    double norm = sqrt(sum);
    float* o = out + (long long) r * inputs;
    for (int i = 0; i < inputs; i++) {
        o[i] = norm == 0 ? 0.0f : (float) (row[i] / norm);
    }
}

// c[rows x n] = a[rows x k] w[k x n] + bias[n], then ReLU when relu != 0. Blocks of MLP_THREADS
// threads over a grid of (n / MLP_TILE) x (rows / MLP_TILE) output tiles, both rounded up: the
// edges of odd sizes load zeros and store nothing. Thread (tx, ty) owns rows ty + 16 i and
// columns tx + 16 j of the tile, so that neighbouring threads read neighbouring shared words.
extern "C" __global__ void mlp_dense(const float* a, const float* w, const float* bias, float* c, int rows, int k, int n,
                                     int relu) {
    __shared__ float tile_a[MLP_TILE_K][MLP_TILE];
    __shared__ float tile_w[MLP_TILE_K][MLP_TILE];
    int t = threadIdx.x;
    int tx = t % MLP_SUB;
    int ty = t / MLP_SUB;
    int row0 = blockIdx.y * MLP_TILE;
    int col0 = blockIdx.x * MLP_TILE;
    float acc[4][4];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            acc[i][j] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < k; k0 += MLP_TILE_K) {
        // A is read along k (its rows are contiguous) and stored transposed, W along n.
        for (int e = t; e < MLP_TILE * MLP_TILE_K; e += MLP_THREADS) {
            int r = e / MLP_TILE_K;
            int kk = e % MLP_TILE_K;
            int gr = row0 + r;
            int gk = k0 + kk;
            tile_a[kk][r] = gr < rows && gk < k ? a[(long long) gr * k + gk] : 0.0f;
        }
        for (int e = t; e < MLP_TILE * MLP_TILE_K; e += MLP_THREADS) {
            int kk = e / MLP_TILE;
            int col = e % MLP_TILE;
            int gk = k0 + kk;
            int gc = col0 + col;
            tile_w[kk][col] = gk < k && gc < n ? w[(long long) gk * n + gc] : 0.0f;
        }
        __syncthreads();
        for (int kk = 0; kk < MLP_TILE_K; kk++) {
            float av[4];
            float wv[4];
            for (int i = 0; i < 4; i++) {
                av[i] = tile_a[kk][ty + MLP_SUB * i];
                wv[i] = tile_w[kk][tx + MLP_SUB * i];
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    acc[i][j] += av[i] * wv[j];
                }
            }
        }
        // The next tiles overwrite these only after every thread has used them.
        __syncthreads();
    }
    for (int i = 0; i < 4; i++) {
        int gr = row0 + ty + MLP_SUB * i;
        if (gr >= rows) {
            continue;
        }
        for (int j = 0; j < 4; j++) {
            int gc = col0 + tx + MLP_SUB * j;
            if (gc < n) {
                float v = acc[i][j] + bias[gc];
                c[(long long) gr * n + gc] = relu && v < 0.0f ? 0.0f : v;
            }
        }
    }
}

// Softmax of each event's row in place, as MlpRunner.softmax: shifted by the maximum so that no
// exponent overflows, exponentials and their sum in double.
extern "C" __global__ void mlp_softmax(float* p, int n, int width) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= n) {
        return;
    }
    float* row = p + (long long) r * width;
    float top = row[0];
    for (int j = 1; j < width; j++) {
        top = row[j] > top ? row[j] : top;
    }
    double sum = 0;
    for (int j = 0; j < width; j++) {
        double e = exp((double) (row[j] - top));
        row[j] = (float) e;
        sum += e;
    }
    float inv = (float) (1.0 / sum);
    for (int j = 0; j < width; j++) {
        row[j] *= inv;
    }
}

// The order of TopKHeaps: a higher score is better, and of equal scores the lower item index.
__device__ __forceinline__ bool mf_better(float score_a, int item_a, float score_b, int item_b) {
    return score_a > score_b || (score_a == score_b && item_a < item_b);
}

// The first index in rated[from, to) (ascending) whose item is at least item.
__device__ __forceinline__ int mf_lower_bound(const int* rated, int from, int to, int item) {
    while (from < to) {
        int mid = from + (to - from) / 2;
        if (rated[mid] < item) {
            from = mid + 1;
        } else {
            to = mid;
        }
    }
    return from;
}

// Merges the sorted list b (length lb) into the sorted list a (length la), keeping the best k in
// a; returns a's new length. Counts first how many of each the result takes, then fills a from
// the back, so that nothing of a is overwritten before it is read.
__device__ int mf_merge(float* a_score, int* a_item, int la, const float* b_score, const int* b_item, int lb, int k) {
    int total = min(k, la + lb);
    int ia = 0;
    int ib = 0;
    for (int o = 0; o < total; o++) {
        if (ib >= lb || (ia < la && mf_better(a_score[ia], a_item[ia], b_score[ib], b_item[ib]))) {
            ia++;
        } else {
            ib++;
        }
    }
    for (int o = total - 1; ib > 0; o--) {
        if (ia > 0 && mf_better(b_score[ib - 1], b_item[ib - 1], a_score[ia - 1], a_item[ia - 1])) {
            ia--;
            a_score[o] = a_score[ia];
            a_item[o] = a_item[ia];
        } else {
            ib--;
            a_score[o] = b_score[ib];
            a_item[o] = b_item[ib];
        }
    }
    return total;
}

// The top k items of each of n users (dense indexes in users), best first: out_items and
// out_scores are n x k, item -1 and score NaN where fewer qualify. user_factors is users x factors,
// item_columns factors x items (the item factors transposed, as RecommenderRunner holds them).
// Leaves out each user's rated items when exclude_rated != 0. Blocks of MF_THREADS threads;
// list_score/list_item hold k entries per thread of the grid. A score is the CPU's float dot
// product in the same order, with the rounded intrinsics so that no multiply-add is fused:
// scores, and so ties and ranks, equal the CPU's bit for bit. As on the CPU, NaN and -infinity
// scores never qualify.
extern "C" __global__ void mf_topk(const float* user_factors, const float* item_columns, int factors, int items,
                                   const int* rated_indptr, const int* rated_items, int exclude_rated, const int* users,
                                   int n, int k, float* list_score, int* list_item, float* out_scores, int* out_items) {
    __shared__ int lengths[MF_THREADS];
    int t = threadIdx.x;
    long long base = ((long long) blockIdx.x * MF_THREADS + t) * k;
    float* my_score = list_score + base;
    int* my_item = list_item + base;
    for (int u = blockIdx.x; u < n; u += gridDim.x) {
        int user = users[u];
        const float* uf = user_factors + (long long) user * factors;
        int cursor = rated_indptr[user];
        int rated_end = exclude_rated ? rated_indptr[user + 1] : cursor;
        int length = 0;
        // Each thread's items ascend, and so do the rated ones: the search resumes where it stopped.
        for (int i = t; i < items; i += MF_THREADS) {
            cursor = mf_lower_bound(rated_items, cursor, rated_end, i);
            if (cursor < rated_end && rated_items[cursor] == i) {
                continue;
            }
            // Item factors by column: neighbouring threads read neighbouring items' factor d.
            float s = __fmul_rn(uf[0], item_columns[i]);
            for (int d = 1; d < factors; d++) {
                s = __fadd_rn(s, __fmul_rn(uf[d], item_columns[(long long) d * items + i]));
            }
            if (!(s >= -3.402823466e+38f)) {
                continue;
            }
            if (length == k && !mf_better(s, i, my_score[k - 1], my_item[k - 1])) {
                continue;
            }
            int at = length < k ? length++ : k - 1;
            while (at > 0 && mf_better(s, i, my_score[at - 1], my_item[at - 1])) {
                my_score[at] = my_score[at - 1];
                my_item[at] = my_item[at - 1];
                at--;
            }
            my_score[at] = s;
            my_item[at] = i;
        }
        lengths[t] = length;
        __syncthreads();
        for (int stride = 1; stride < MF_THREADS; stride *= 2) {
            if (t % (2 * stride) == 0) {
                lengths[t] = mf_merge(my_score, my_item, lengths[t], my_score + (long long) stride * k,
                                      my_item + (long long) stride * k, lengths[t + stride], k);
            }
            __syncthreads();
        }
        if (t == 0) {
            long long out = (long long) u * k;
            for (int j = 0; j < k; j++) {
                out_items[out + j] = j < lengths[0] ? my_item[j] : -1;
                out_scores[out + j] = j < lengths[0] ? my_score[j] : nanf("");
            }
        }
        // The lists and lengths are the next user's only after thread 0 has written this one's.
        __syncthreads();
    }
}
