// Every Tempora kernel, in one translation unit: one PTX module for the GPU (build-ptx.sh) and one shared
// library for the CPU emulation (build-emulator.sh).
#include "common.cuh"
#include "elementwise.cuh"
#include "reduction.cuh"
#include "norm.cuh"
#include "lstm.cuh"
#include "gemm.cuh"
#include "attention.cuh"
#include "attention_flash.cuh"
#include "loss.cuh"
#include "optimizer.cuh"
