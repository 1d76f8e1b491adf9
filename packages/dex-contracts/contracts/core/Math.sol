// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

library Math {
    function min(uint256 x, uint256 y) internal pure returns (uint256) {
        return x < y ? x : y;
    }

    /// Floor of the square root. Any exact floor-sqrt gives the same LP amounts as
    /// Uniswap's Babylonian loop; this one starts from a power-of-two estimate within
    /// a factor of two of the root, so seven Newton steps always reach it (the
    /// relative error squares each step: 2^-1 -> ... -> below 2^-128).
    function sqrt(uint256 y) internal pure returns (uint256 z) {
        if (y == 0) return 0;
        unchecked {
            uint256 x = y;
            z = 1;
            if (x >= 1 << 128) { x >>= 128; z <<= 64; }
            if (x >= 1 << 64) { x >>= 64; z <<= 32; }
            if (x >= 1 << 32) { x >>= 32; z <<= 16; }
            if (x >= 1 << 16) { x >>= 16; z <<= 8; }
            if (x >= 1 << 8) { x >>= 8; z <<= 4; }
            if (x >= 1 << 4) { x >>= 4; z <<= 2; }
            if (x >= 1 << 2) { z <<= 1; }
            // z = 2^floor(log2(y)/2): z <= sqrt(y) < 2z
            z = (z + y / z) >> 1;
            z = (z + y / z) >> 1;
            z = (z + y / z) >> 1;
            z = (z + y / z) >> 1;
            z = (z + y / z) >> 1;
            z = (z + y / z) >> 1;
            z = (z + y / z) >> 1;
            uint256 w = y / z;
            if (w < z) z = w;
        }
    }
}
