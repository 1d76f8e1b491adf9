// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

interface ISobaFactory {
    function feeTo() external view returns (address);
    function getPair(address tokenA, address tokenB) external view returns (address);
    function createPair(address tokenA, address tokenB) external returns (address);
}
