"""PyTorch reference for the SASRec epoch time in docs/BENCHMARKS.md (issue 16).

One training epoch of the same model as src/ml/recommend/sasrec on all of Amazon Beauty, on the CPU:
hidden 64, 2 pre-norm blocks, 1 head, last 50 items, dropout 0.3, Adam (lr 0.004, betas 0.9/0.98),
a softmax over the target and 1,024 negatives shared by the step, every position a target. Training
sequences are each user's history without the last item (the leave-last-out split), so the targets
are the same 153,776 as ours. Batches hold about 1,024 real tokens: users sorted by length and padded
only to the longest in their batch (fairer to PyTorch than the reference implementation's padding of
every sequence to 50).

Run with Debian's interpreter (python3-torch 1.13):
    /usr/bin/python3 bench/reference/sasrec_torch.py ../shared/datasets/amazon-beauty/Beauty.txt [threads]
Prints one JSON line: seconds, targets, threads, torch version.
"""
import json
import math
import os
import sys
import time

# OpenMP threads that spin while they wait take 100x longer on a loaded machine (measured: 20 s
# against 3.5 s for 300 users at load 12); passive waiting is what our worker threads do too.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

HIDDEN, BLOCKS, MAXLEN, DROPOUT, LR, TOKENS, NEGATIVES = 64, 2, 50, 0.3, 0.004, 1024, 1024


def read(path):
    seqs, items = [], 0
    with open(path) as f:
        for line in f:
            ids = [int(x) for x in line.split()[1:]]
            items = max(items, max(ids))
            seqs.append(ids[:-1][-(MAXLEN + 1):])  # drop the test item; keep 50 inputs + 1 target
    return seqs, items


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(HIDDEN), nn.LayerNorm(HIDDEN)
        self.att = nn.MultiheadAttention(HIDDEN, 1, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN))
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x, mask):
        h = self.ln1(x)
        a, _ = self.att(h, h, h, attn_mask=mask, need_weights=False)
        x = x + self.drop(a)
        return x + self.drop(self.ff(self.ln2(x)))


class Sasrec(nn.Module):
    def __init__(self, items):
        super().__init__()
        self.item = nn.Embedding(items + 1, HIDDEN, padding_idx=0)
        self.pos = nn.Embedding(MAXLEN, HIDDEN)
        self.blocks = nn.ModuleList(Block() for _ in range(BLOCKS))
        self.ln = nn.LayerNorm(HIDDEN)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, inp):
        L = inp.shape[1]
        # Left padding: the last position is position 0, as in SASRec.
        pos = torch.arange(L - 1, -1, -1).unsqueeze(0)
        x = self.drop(self.item(inp) * math.sqrt(HIDDEN) + self.pos(pos))
        # Causal, and no padding key; a padding query sees itself only (a row with no key is NaN).
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
        mask = causal.unsqueeze(0) | (inp == 0).unsqueeze(1)
        mask = mask & ~torch.eye(L, dtype=torch.bool).unsqueeze(0)
        for b in self.blocks:
            x = b(x, mask)
        return self.ln(x)


def batches(seqs):
    order = sorted(range(len(seqs)), key=lambda u: len(seqs[u]))
    batch, longest = [], 0
    for u in order:
        n = len(seqs[u]) - 1
        if batch and (len(batch) + 1) * max(longest, n) > TOKENS:
            yield batch
            batch, longest = [], 0
        batch.append(seqs[u])
        longest = max(longest, n)
    if batch:
        yield batch


def main():
    path = sys.argv[1]
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    seqs, items = read(path)
    seqs = [s for s in seqs if len(s) >= 2]
    model = Sasrec(items)
    opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.98))
    all_batches = list(batches(seqs))
    targets = 0
    t0 = time.perf_counter()
    for batch in all_batches:
        L = max(len(s) for s in batch) - 1
        inp = torch.zeros(len(batch), L, dtype=torch.long)
        out = torch.zeros(len(batch), L, dtype=torch.long)
        for r, s in enumerate(batch):
            n = len(s) - 1
            inp[r, L - n:] = torch.tensor(s[:-1])
            out[r, L - n:] = torch.tensor(s[1:])
        h = model(inp)
        mask = out != 0
        hv, tv = h[mask], out[mask]
        targets += tv.numel()
        neg = torch.randint(1, items + 1, (NEGATIVES,))
        pos_logit = (hv * model.item(tv)).sum(-1, keepdim=True)
        neg_logit = hv @ model.item(neg).t()
        neg_logit = neg_logit.masked_fill(neg.unsqueeze(0) == tv.unsqueeze(1), float('-inf'))
        logits = torch.cat([pos_logit, neg_logit], 1)
        loss = nn.functional.cross_entropy(logits, torch.zeros(len(tv), dtype=torch.long))
        opt.zero_grad()
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - t0
    print(json.dumps({'seconds': seconds, 'targets': targets, 'threads': threads, 'torch': torch.__version__,
                      'steps': len(all_batches), 'loss': float(loss)}))


if __name__ == '__main__':
    main()
