// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

/// Flash-swap callback. The name stays `uniswapV2Call` so existing flash-swap
/// receivers written for Uniswap v2 work against Soba pairs unchanged.
interface ISobaCallee {
    function uniswapV2Call(address sender, uint256 amount0, uint256 amount1, bytes calldata data) external;
}
