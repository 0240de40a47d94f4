//===- LowRankCompressor.cpp - PowerSGD and ACP-SGD -----------------------===//
//
// A member of shape [n, ...] with m = numel / n columns is compressed when
// it has two or more dimensions and r (n + m) < n m, r = min(rank, n, m);
// the others travel dense in the same allreduce. M = grad + E, E the error
// feedback, and factors start from the same seeded Gaussian on every rank.
// PowerSGD, per iteration: P = M Q; allreduce P; orthogonalise P;
//   Q = M^T P; allreduce Q; Q /= world; result = P Q^T (two allreduces).
// ACP-SGD alternates, one allreduce per iteration:
//   P step: Q^ = orth(Q); P = M Q^; allreduce P; P /= world; result = P Q^T
//   Q step: P^ = orth(P); Q = M^T P^; allreduce Q; Q /= world;
//           result = P^ Q^T
// Either way E = M - result, and dense members get their mean.
//
//===----------------------------------------------------------------------===//

#include "runtime/compressors/Compressors.h"

#include "kernels/LowRank.h"
#include "kernels/Random.h"
#include "runtime/Fnv1a.h"

#include <algorithm>
#include <cstring>

using namespace agtf;
using namespace agtf::runtime;
namespace kn = agtf::kernels;

namespace {
struct Member {
  int64_t offset = 0, rows = 0, cols = 0, rank = 0; // rank 0: dense
  std::vector<float> p, q;                          // n x r and m x r
  std::vector<float> basis; // the orthonormal factor of this step
};

uint64_t nameSeed(const std::string &name) {
  return agtf::runtime::fnv1a(name.data(), name.size());
}

class LowRankCompressor : public Compressor {
public:
  LowRankCompressor(BucketInfo info, int rank, int size, uint64_t seed)
      : Compressor(std::move(info), rank, size, seed) {
    powerSgd = bucket.params.lowRankMethod == fb::LowRankMethod::powersgd;
    error.assign(bucket.numel, 0.0f);
    for (const BucketTensor &t : bucket.tensors) {
      Member m;
      m.offset = t.offset;
      if (t.shape.size() >= 2 && t.shape[0] > 0) {
        m.rows = t.shape[0];
        m.cols = t.numel / t.shape[0];
        m.rank = kn::factorRank(m.rows, m.cols, bucket.params.rank);
      }
      if (!m.rank) {
        m.rows = t.numel;
        m.cols = 1;
      } else {
        m.p.assign(m.rows * m.rank, 0.0f);
        m.q.resize(m.cols * m.rank);
        // The same start on every rank (ACP-SGD's reference forgot this).
        kn::fillNormalCpu(m.q.data(), int64_t(m.q.size()),
                          kn::combineSeed(seed, nameSeed(t.name)));
        if (powerSgd)
          kn::orthogonalizeCpu(m.q.data(), m.cols, m.rank);
      }
      members.push_back(std::move(m));
    }
  }

  /// Whether this iteration reduces P (ACP's P step, and PowerSGD's first
  /// allreduce) or Q.
  bool reducesP() const { return powerSgd || step % 2 == 0; }

  void compress(const float *grad, const IterationInfo &) override {
    acc.resize(bucket.numel);
    for (int64_t i = 0; i < bucket.numel; ++i)
      acc[i] = grad[i] + error[i];
    if (checking)
      input = acc;
    checkedReducesP = reducesP();
    buffer.clear();
    for (Member &m : members) {
      const float *x = acc.data() + m.offset;
      if (!m.rank) {
        buffer.insert(buffer.end(), x, x + m.rows);
        continue;
      }
      if (reducesP()) {
        m.basis = m.q;
        if (!powerSgd)
          kn::orthogonalizeCpu(m.basis.data(), m.cols, m.rank);
        kn::multiplyCpu(x, m.basis.data(), m.p.data(), m.rows, m.cols, m.rank);
        buffer.insert(buffer.end(), m.p.begin(), m.p.end());
      } else {
        m.basis = m.p;
        kn::orthogonalizeCpu(m.basis.data(), m.rows, m.rank);
        kn::multiplyTransposedCpu(x, m.basis.data(), m.q.data(), m.rows, m.cols,
                                  m.rank);
        buffer.insert(buffer.end(), m.q.begin(), m.q.end());
      }
      if (checking)
        input.insert(input.end(), m.basis.begin(), m.basis.end());
    }
  }

  void communicate(float *grad, Communicator &comm) override {
    float scale = 1.0f / float(size);
    comm.allreduceSum(buffer.data(), int64_t(buffer.size()));
    size_t at = 0;
    for (Member &m : members) {
      float *out = grad + m.offset;
      if (!m.rank) {
        for (int64_t i = 0; i < m.rows; ++i)
          out[i] = buffer[at + i] * scale;
        at += m.rows;
        continue;
      }
      const float *x = acc.data() + m.offset;
      if (powerSgd) {
        std::copy_n(buffer.begin() + at, m.p.size(), m.p.begin());
        at += m.p.size();
        kn::orthogonalizeCpu(m.p.data(), m.rows, m.rank);
        kn::multiplyTransposedCpu(x, m.p.data(), m.q.data(), m.rows, m.cols,
                                  m.rank);
      } else if (reducesP()) {
        for (size_t i = 0; i < m.p.size(); ++i)
          m.p[i] = buffer[at + i] * scale;
        at += m.p.size();
      } else {
        for (size_t i = 0; i < m.q.size(); ++i)
          m.q[i] = buffer[at + i] * scale;
        at += m.q.size();
      }
    }
    if (powerSgd) {
      // The second, dependent allreduce: every member's Q at once.
      std::vector<float> qs;
      for (Member &m : members)
        qs.insert(qs.end(), m.q.begin(), m.q.end());
      if (!qs.empty())
        comm.allreduceSum(qs.data(), int64_t(qs.size()));
      size_t q = 0;
      for (Member &m : members) {
        for (float &v : m.q)
          v = qs[q++] * scale;
      }
    }
    for (Member &m : members) {
      if (!m.rank)
        continue;
      float *out = grad + m.offset;
      const float *p = powerSgd || reducesP() ? m.p.data() : m.basis.data();
      const float *q = powerSgd || !reducesP() ? m.q.data() : m.basis.data();
      kn::reconstructCpu(p, q, out, m.rows, m.cols, m.rank);
      const float *x = acc.data() + m.offset;
      for (int64_t i = 0; i < m.rows * m.cols; ++i)
        error[m.offset + i] = x[i] - out[i];
    }
    ++step;
  }

  std::vector<float>
  reference(const std::vector<std::vector<float>> &inputs) const override {
    int p = int(inputs.size());
    std::vector<float> out(bucket.numel, 0.0f);
    size_t basisAt = bucket.numel;
    for (const Member &m : members) {
      if (!m.rank) {
        for (int64_t i = 0; i < m.rows; ++i) {
          double s = 0;
          for (int r = 0; r < p; ++r)
            s += inputs[r][m.offset + i];
          out[m.offset + i] = float(s / p);
        }
        continue;
      }
      // Rank 0's factor; every rank must have used the same one.
      int64_t basisSize = (checkedReducesP ? m.cols : m.rows) * m.rank;
      std::vector<float> basis(inputs[0].begin() + basisAt,
                               inputs[0].begin() + basisAt + basisSize);
      basisAt += basisSize;
      // Naive products, summed over ranks in double.
      auto product = [&](const std::vector<float> &b, bool transposed) {
        int64_t outRows = transposed ? m.cols : m.rows;
        std::vector<double> sum(outRows * m.rank, 0.0);
        for (int r = 0; r < p; ++r) {
          const float *x = inputs[r].data() + m.offset;
          for (int64_t i = 0; i < m.rows; ++i)
            for (int64_t j = 0; j < m.cols; ++j)
              for (int64_t c = 0; c < m.rank; ++c) {
                if (transposed)
                  sum[j * m.rank + c] +=
                      double(x[i * m.cols + j]) * b[i * m.rank + c];
                else
                  sum[i * m.rank + c] +=
                      double(x[i * m.cols + j]) * b[j * m.rank + c];
              }
        }
        return std::vector<float>(sum.begin(), sum.end());
      };
      std::vector<float> pf, qf;
      if (powerSgd) {
        pf = product(basis, false);
        kn::orthogonalizeCpu(pf.data(), m.rows, m.rank);
        qf = product(pf, true);
        for (float &v : qf)
          v /= float(p);
      } else if (checkedReducesP) {
        pf = product(basis, false);
        for (float &v : pf)
          v /= float(p);
        qf = basis;
      } else {
        qf = product(basis, true);
        for (float &v : qf)
          v /= float(p);
        pf = basis;
      }
      for (int64_t i = 0; i < m.rows; ++i)
        for (int64_t j = 0; j < m.cols; ++j) {
          double s = 0;
          for (int64_t c = 0; c < m.rank; ++c)
            s += double(pf[i * m.rank + c]) * qf[j * m.rank + c];
          out[m.offset + i * m.cols + j] = float(s);
        }
    }
    return out;
  }

  double
  tolerance(const std::vector<std::vector<float>> &inputs) const override {
    // Orthogonalisation of a sum taken in another order: relative error of
    // a few float ulps times the conditioning, far above plain sums.
    return 1e-4 * size * largestMagnitude(inputs);
  }

  int64_t kept() const override {
    int64_t n = 0;
    for (const Member &m : members)
      n += m.rank ? (reducesP() ? m.rows : m.cols) * m.rank : m.rows;
    return n;
  }

private:
  bool powerSgd;
  bool checkedReducesP = true; // of the step checkInput() belongs to
  int64_t step = 0;
  std::vector<Member> members;
  std::vector<float> error, acc, buffer;
};
} // namespace

std::unique_ptr<Compressor>
agtf::runtime::makeLowRankCompressor(BucketInfo info, int rank, int size,
                                     uint64_t seed) {
  return std::unique_ptr<Compressor>(
      new LowRankCompressor(std::move(info), rank, size, seed));
}
