"""Reference values for TemporalFusionTransformerReferenceTest, from the PyTorch peer.

Builds the PyTorch TFT of ../shared/tools/torch_peer (PyTorch Forecasting's architecture, parameter
names and outputs, checked identical to PTF) on a small seed-like configuration, runs it on a
random batch with ragged encoder and decoder lengths, and stores weights, batch, prediction,
attention, variable weights, the quantile loss and every parameter's gradient in one safetensors
file. Tempora's test loads the weights by name and must reproduce the rest.

    /usr/bin/python3 models/src/test/python/make_tft_reference.py \
        ../shared/tools/torch_peer models/src/test/resources/tft-reference.safetensors
"""
import json
import struct
import sys

import torch

sys.path.insert(0, sys.argv[1])
import tft_torch as tft  # noqa: E402

torch.manual_seed(7)
cfg = tft.demo_config(hidden_size=8, attention_head_size=2, hidden_continuous_size=3, dropout=0.0,
                      n_series=7, n_day_hour=24)
model = tft.TemporalFusionTransformer(cfg)
# Give the zero-initialised parameters (biases, gates) non-trivial values so they are tested too.
with torch.no_grad():
    for p in model.parameters():
        p.add_(0.1 * torch.randn_like(p))

B, Te, Td = 4, 6, 5
batch, _ = tft.random_batch(cfg, batch_size=B, encoder_length=Te, prediction_length=Td,
                            n_series=7, n_day_hour=24, seed=3)
batch["encoder_lengths"] = torch.tensor([6, 3, 1, 5])
batch["decoder_lengths"] = torch.tensor([5, 2, 4, 1])
y = torch.randn(B, Td)

model.train()  # dropout is 0; train mode exercises the same path as training
out = model(batch)
loss = tft.QuantileLoss()(out["prediction"], y, batch["decoder_lengths"])
loss.backward()

tensors = {}
for name, p in model.state_dict().items():
    tensors["param." + name] = p
for name, p in model.named_parameters():
    tensors["grad." + name] = p.grad
for k in ("encoder_cat", "decoder_cat", "encoder_cont", "decoder_cont", "encoder_lengths", "decoder_lengths",
          "target_scale"):
    tensors["batch." + k] = batch[k]
tensors["batch.target"] = y
tensors["out.prediction"] = out["prediction"]
tensors["out.encoder_attention"] = out["encoder_attention"]
tensors["out.decoder_attention"] = out["decoder_attention"]
tensors["out.static_variables"] = out["static_variables"]
tensors["out.encoder_variables"] = out["encoder_variables"]
tensors["out.decoder_variables"] = out["decoder_variables"]
tensors["out.loss"] = loss.reshape(())

header, blobs, offset = {}, [], 0
for name, t in tensors.items():
    data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
    header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
header["__metadata__"] = {"source": "torch_peer tft_torch.py, torch " + torch.__version__}
head = json.dumps(header).encode()
head += b" " * ((8 - len(head) % 8) % 8)
with open(sys.argv[2], "wb") as f:
    f.write(struct.pack("<Q", len(head)))
    f.write(head)
    for b in blobs:
        f.write(b)
print("wrote", sys.argv[2], len(tensors), "tensors, loss", float(loss))
