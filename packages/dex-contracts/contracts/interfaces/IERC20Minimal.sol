// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

/// The slice of ERC-20 the pair and the router call on arbitrary tokens.
interface IERC20Minimal {
    function balanceOf(address owner) external view returns (uint256);
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
}
